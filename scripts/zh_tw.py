"""Traditional Chinese (Taiwan) for the interface: the translations, applied to messages.po.

    pybabel extract -F babel.cfg --no-location --omit-header -o src/remarks/web/translations/messages.pot .
    python scripts/zh_tw.py      # updates src/remarks/web/translations/zh_TW/LC_MESSAGES/messages.po

A string missing here stays untranslated, and tests/web/test_i18n.py fails."""

from pathlib import Path

from babel.messages.pofile import read_po, write_po

ROOT = Path(__file__).resolve().parent.parent / "src" / "remarks" / "web" / "translations"

ZH_TW = {
    "Relevance to the article": "與文章相關",
    "Abusive or obscene language": "辱罵或猥褻的言語",
    "Personal attack": "人身攻擊",
    "Promotion": "廣告宣傳",
    "Language not covered by the checks": "審核未涵蓋的語言",
    "Illegal content (please explain)": "違法內容（請說明）",
    "This comment was deleted by its author.": "此留言已由作者刪除。",
    "A comment by %(name)s, whom you muted": "你已靜音的 %(name)s 所留的留言",
    "Edited %(when)s": "編輯於 %(when)s",
    "edited": "已編輯",
    "Featured": "精選",
    "Awaiting moderation — only you can see this": "等待審核——只有你看得到",
    "Respect": "致敬",
    "Stop featuring": "取消精選",
    "Feature": "設為精選",
    "Unmute %(name)s": "取消靜音 %(name)s",
    "Mute %(name)s": "靜音 %(name)s",
    "Delete": "刪除",
    "Edit": "編輯",
    "Your comment, edited": "你編輯後的留言",
    "An edited comment is checked again and marked “edited”; moderators can see the earlier text.":
        "編輯過的留言會再次經過審核並標示「已編輯」；審核員看得到較早的文字。",
    "Save the edit": "儲存編輯",
    "Delete this comment? It leaves the page; replies to it stay, under “deleted by its author”. Moderators keep a copy for the retention period.":
        "要刪除這則留言嗎？留言會從頁面移除；回覆會保留，顯示在「已由作者刪除」之下。審核員會在保存期間內保留一份副本。",
    "Delete my comment": "刪除我的留言",
    "Reply": "回覆",
    "Your reply": "你的回覆",
    "Post anyway": "仍要發布",
    "Post reply": "發布回覆",
    "Report": "檢舉",
    "Why should a moderator look at this comment?": "為什麼審核員應該查看這則留言？",
    "Explanation (required for illegal content)": "說明（檢舉違法內容時必填）",
    "Send report": "送出檢舉",
    "Comments": "留言",
    "Comments will be moderated. Keep comments relevant to the article. Remarks containing abusive and obscene language, personal attacks of any kind or promotion will be removed and the user banned. Final decision will be at the discretion of the newspaper.":
        "留言會經過審核。請讓留言與文章相關。含有辱罵或猥褻言語、任何形式的人身攻擊或廣告宣傳的留言將被移除，使用者將被停權。最終決定權屬於本報。",
    "Thank you: we received your report and a moderator will look at it.": "謝謝：我們已收到你的檢舉，審核員會進行查看。",
    "Before you post: this comment may break our rule on <strong>%(rule)s</strong> and would be held for a moderator.":
        "發布之前：這則留言可能違反我們關於<strong>%(rule)s</strong>的規則，將暫留待審核員處理。",
    "Before you post: this comment may break our rule on <strong>%(rule)s</strong> and would be removed.":
        "發布之前：這則留言可能違反我們關於<strong>%(rule)s</strong>的規則，將會被移除。",
    "Because of:": "原因：",
    "You can edit it, or post it anyway.": "你可以修改，或仍要發布。",
    "Your text was not posted; here it is to keep:": "你的文字沒有發布；這裡保留給你：",
    "Join the discussion as <strong>%(name)s</strong>": "以<strong>%(name)s</strong>的身分參與討論",
    "Blank lines make paragraphs; start a line with > to quote; web addresses become links; @name tells a reader.":
        "空一行即分段；以 > 開頭可引用；網址會變成連結；@名稱 會通知該讀者。",
    "Post comment": "發布留言",
    '<a href="/login?next=%(next)s">Log in</a> or <a href="/signup">sign up</a> to comment.':
        '<a href="/login?next=%(next)s">登入</a>或<a href="/signup">註冊</a>即可留言。',
    "In the thread": "在討論串中",
    "Oldest first": "最舊優先",
    "1 new comment — show": "1 則新留言——顯示",
    "%(n)s new comments — show": "%(n)s 則新留言——顯示",
    "A new comment by %(name)s was added to the thread.": "%(name)s 的新留言已加入討論串。",
    "%(n)s new comments were added to the thread.": "%(n)s 則新留言已加入討論串。",
    "Newest first": "最新優先",
    "Forgot your password?": "忘記密碼？",
    "Most respected": "最多致敬",
    "Most replies": "最多回覆",
    "Order of the comments": "留言排序",
    "Sort:": "排序：",
    "Pages of comments": "留言頁數",
    "Page %(n)s of %(total)s": "第 %(n)s 頁，共 %(total)s 頁",
    "earlier comments": "較早的留言",
    "later comments": "較新的留言",
    "No comments yet.": "目前還沒有留言。",
    "More comments": "更多留言",
    "Later comments (page %(n)s of %(total)s)": "較新的留言（第 %(n)s 頁，共 %(total)s 頁）",
    "Language": "語言",
    "Change": "變更",
    "Your account": "你的帳號",
    "Notifications: %(n)s unread": "通知：%(n)s 則未讀",
    "Moderator desk": "審核台",
    "Log out": "登出",
    "Log in": "登入",
    "Sign up": "註冊",
    "Sections": "版面",
    "News": "新聞",
    "World": "國際",
    "Local": "地方",
    "Environment": "環境",
    "Business": "財經",
    "Comments powered by remarks": "留言系統由 remarks 提供",
    "Delete your account": "刪除你的帳號",
    'Before you go, you can <a href="/me/data.json">download everything we hold about you</a> (JSON).':
        '離開之前，你可以<a href="/me/data.json">下載我們保存的所有關於你的資料</a>（JSON）。',
    "Your comments": "你的留言",
    "Keep them on the pages, signed “Former reader”": "保留在頁面上，署名為「前讀者」",
    "Take them off the pages (replies to them stay, under “deleted by its author”)":
        "從頁面移除（回覆會保留，顯示在「已由作者刪除」之下）",
    "Kept after you delete your account, as the law allows: the statements of reasons, moderation decisions, measures (warnings, suspensions, bans) and appeals about your account, and the audit log, so the newspaper can answer for its decisions (EU Digital Services Act, Art. 17 and 20); comments a moderator removed or that are under a report or appeal keep their text for the same reason. They no longer carry your name, e-mail address or log-in.":
        "在法律允許的範圍內，刪除帳號後仍會保留：關於你帳號的理由說明、審核決定、處分（警告、停權、封鎖）與申訴，以及稽核紀錄，以便本報能為其決定負責（歐盟《數位服務法》第 17 條與第 20 條）；被審核員移除、或正受檢舉或申訴的留言，基於同樣理由保留其文字。這些紀錄將不再帶有你的名稱、電子郵件地址或登入資訊。",
    "Your password, to confirm": "請輸入你的密碼以確認",
    "Delete my account": "刪除我的帳號",
    "Commenting as <strong>%(name)s</strong>": "以<strong>%(name)s</strong>的身分留言",
    "your page": "你的頁面",
    "That request was not right": "這個請求有誤",
    "Please log in": "請登入",
    "Not allowed": "不允許",
    "Not found": "找不到",
    "Too large": "內容過大",
    "Slow down": "請放慢速度",
    "Something went wrong": "發生錯誤",
    "Back to the front page": "回到首頁",
    ("%(num)d comment", "%(num)d comments"): ("%(num)d 則留言", "%(num)d 則留言"),
    "No stories yet.": "目前還沒有報導。",
    "Username": "使用者名稱",
    "Password": "密碼",
    "New here?": "第一次來嗎？",
    "Create an account": "建立帳號",
    "Your public profile": "你的公開個人頁面",
    'Your <a href="/users/%(name)s">profile page</a> shows your name, when you joined and how many comments you have published.':
        '你的<a href="/users/%(name)s">個人頁面</a>會顯示你的名稱、加入時間與已發布的留言數。',
    "It also lists your published comments.": "頁面也會列出你已發布的留言。",
    "Your list of comments is private.": "你的留言列表不公開。",
    "Hide my comments from my profile": "在個人頁面隱藏我的留言",
    "Show my comments on my profile": "在個人頁面顯示我的留言",
    "Your data": "你的資料",
    '<a href="/me/data.json" download>Download everything about you</a> (JSON: your account, comments and their earlier versions, reactions, notifications, reports, appeals and decisions).':
        '<a href="/me/data.json" download>下載所有關於你的資料</a>（JSON：你的帳號、留言及其較早版本、致敬、通知、檢舉、申訴與決定）。',
    "Notifications": "通知",
    "Someone": "有人",
    "New": "新",
    "%(who)s replied to your comment": "%(who)s 回覆了你的留言",
    "%(who)s mentioned you": "%(who)s 提到了你",
    "Your comment was chosen as a featured comment": "你的留言被選為精選留言",
    "Nothing yet. When someone replies to you, mentions you (@%(name)s) or a moderator features your comment, it shows here.":
        "目前沒有通知。當有人回覆你、提到你（@%(name)s）或審核員將你的留言設為精選時，會顯示在這裡。",
    "Replies to your comments": "你的留言收到回覆",
    "Mentions of your name (@name)": "有人提到你的名稱（@名稱）",
    "Your comment chosen as a featured comment": "你的留言被選為精選",
    "Your notification settings": "你的通知設定",
    "Send me an e-mail for": "寄電子郵件通知我：",
    "How often": "頻率",
    "One e-mail for each": "每則通知一封電子郵件",
    "One daily digest": "每日摘要一封",
    "Save": "儲存",
    "Readers you muted": "你已靜音的讀者",
    "Unmute": "取消靜音",
    "Member since": "加入時間",
    "Published comments": "已發布的留言",
    'On <a href="/articles/%(slug)s#c%(id)s">%(title)s</a>': '於<a href="/articles/%(slug)s#c%(id)s">%(title)s</a>',
    "No published comments yet.": "目前還沒有已發布的留言。",
    "This reader keeps their list of comments private.": "這位讀者不公開其留言列表。",
    "Name shown with your comments": "留言時顯示的名稱",
    "E-mail (optional)": "電子郵件（選填）",
    "Password (8 characters or more)": "密碼（8 個字元以上）",
    "Log in with %(name)s": "使用%(name)s登入",
    "Log in through the newspaper's own site: your account there signs you in here.":
        "請從報社自己的網站登入：你在那裡的帳號會讓你在這裡登入。",
    '<a href="/login?next=%(next)s">Log in</a> to comment.': '<a href="/login?next=%(next)s">登入</a>即可留言。',
}


def main() -> None:
    with (ROOT / "messages.pot").open("rb") as f:
        template = read_po(f)
    out = ROOT / "zh_TW" / "LC_MESSAGES" / "messages.po"
    out.parent.mkdir(parents=True, exist_ok=True)
    template.locale = "zh_TW"
    template.language_team = "zh_TW"
    template.project, template.version, template.fuzzy = "remarks", "1", False
    template.copyright_holder = "the remarks authors"
    for message in template:
        if message.id:
            message.string = ZH_TW.get(message.id, "" if not isinstance(message.id, tuple) else ("",))
    with out.open("wb") as f:
        write_po(f, template, omit_header=False, no_location=True, width=100)


if __name__ == "__main__":
    main()
