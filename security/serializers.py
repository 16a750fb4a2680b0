"""The serialization format of backups: Django's JSON with every timestamp to the
microsecond. Django's own JSON keeps milliseconds (as ECMAScript dates do), so a backup
restored from it would move each timestamp by up to a millisecond; read back, this is
plain JSON that `loaddata` takes as it is."""

import datetime

from django.core.serializers import json
from django.core.serializers.json import DjangoJSONEncoder

FORMAT = "backup-json"


class ExactJSONEncoder(DjangoJSONEncoder):
    def default(self, o):
        if isinstance(o, datetime.datetime):
            text = o.isoformat()
            return text.removesuffix("+00:00") + "Z" if text.endswith("+00:00") else text
        if isinstance(o, datetime.time):
            return o.isoformat()
        return super().default(o)


class Serializer(json.Serializer):
    def _init_options(self):
        self.options.setdefault("cls", ExactJSONEncoder)
        super()._init_options()


Deserializer = json.Deserializer
