"""Text handling shared by checks, models and services: normalisation (obfuscated spellings, the
leet map) and finding web addresses. Imports nothing else from remarks."""
