"""The API of accounts beyond log-in: password change and password reset by e-mail."""

from __future__ import annotations

from fastapi import APIRouter, Depends, Request
from sqlalchemy.orm import Session

from remarks.models import User
from remarks.services import accounts, recovery, sso
from remarks.web import schemas as s
from remarks.web.schemas import ERRORS
from remarks.web.deps import Viewer, get_db, get_viewer, origin_of, verify_api_csrf
from remarks.web.permissions import Permission, require
from remarks.web.uow import write

router = APIRouter(prefix="/api/v1", responses=ERRORS, tags=["accounts"])


@router.post("/me/password", response_model=s.TokenOut)
def change_password(body: s.PasswordChangeIn, request: Request, db: Session = Depends(get_db),
                    viewer: Viewer = Depends(get_viewer),
                    user: User = Depends(require(Permission.SIGNED_IN))) -> s.TokenOut:
    """Change your password. Every session of the account ends, this one too; use the new token."""
    verify_api_csrf(request, viewer)
    sso.require_local_passwords(request.app.state.settings.local_passwords)
    days = request.app.state.settings.session_days

    def work(session: Session) -> s.TokenOut:
        me = session.get(User, user.id)
        recovery.change_password(session, me, current=body.current_password, new=body.new_password)
        token, row = accounts.start_session(session, me, days=days)
        return s.TokenOut(token=token, expires_at=row.expires_at, csrf_token=row.csrf_token)

    return write(request, work)


@router.post("/password-reset", response_model=s.MessageOut, status_code=202)
def request_reset(body: s.PasswordResetIn, request: Request, db: Session = Depends(get_db)) -> s.MessageOut:
    """E-mail a single-use link (one hour) to the accounts with this address. The answer is the same
    whether or not such an account exists; rate-limited per network address."""
    sso.require_local_passwords(request.app.state.settings.local_passwords)
    origin, base = origin_of(request).ip_hash, request.app.state.settings.base_url
    return s.MessageOut(message=write(request, lambda session: recovery.request_reset(
        session, body.email, origin=origin, base_url=base)))


@router.post("/password-reset/confirm", response_model=s.MessageOut)
def confirm_reset(body: s.PasswordResetConfirmIn, request: Request, db: Session = Depends(get_db)) -> s.MessageOut:
    """Set a new password with the e-mailed token; every session of the account ends."""
    sso.require_local_passwords(request.app.state.settings.local_passwords)
    user = write(request, lambda session: recovery.reset_password(session, token=body.token, new=body.new_password))
    return s.MessageOut(message=f"The password of {user.username} is changed; log in with it.")
