from django.db import models

from core.text import nfc


class NFCTextModel(models.Model):
    """A model whose every text field is stored in NFC, whoever writes it (a form, the
    import, the shell), and validated in NFC: lengths count the letters a reader sees."""

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        self.normalize_text()
        super().save(*args, **kwargs)

    def clean_fields(self, exclude=None):
        self.normalize_text()
        super().clean_fields(exclude=exclude)

    def normalize_text(self) -> None:
        for field in self._meta.concrete_fields:
            if isinstance(field, models.CharField | models.TextField):
                value = getattr(self, field.attname)
                if isinstance(value, str):
                    setattr(self, field.attname, nfc(value))
