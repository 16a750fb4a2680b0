"""The project's date formats by language, over Django's own (settings.FORMAT_MODULE_PATH).
Only what differs from Django's is here; the rest of each language's formats is Django's."""
