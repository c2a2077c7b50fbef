"""Settings read from environment variables: a pydantic model whose fields
default from `<PREFIX><FIELD>` (any case), values given in code winning.

pydantic-settings did this with sources, dotenv files and JSON-decoded complex
fields the platform does not use; every field here is a scalar, so a few lines
do, and each of the five processes idles ~1.2 MB smaller without that package
(docs/performance.md, footprint). Values are validated as pydantic validates
any input: "8001" becomes 8001, "true"/"1"/"yes" become True, a bad value is
a ValidationError naming the field.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from typing import Any, ClassVar

from pydantic import BaseModel, ConfigDict


class EnvSettings(BaseModel):
    model_config = ConfigDict(extra="ignore")
    env_prefix: ClassVar[str] = "GONGSHI_"

    def __init__(self, **values: Any) -> None:
        super().__init__(**{**self.from_environment(os.environ), **values})

    @classmethod
    def from_environment(cls, environ: Mapping[str, str]) -> dict[str, str]:
        """The fields this environment sets, by field name."""
        prefix = cls.env_prefix.lower()
        found = {}
        for name, value in environ.items():
            key = name.lower()
            if key.startswith(prefix) and key[len(prefix) :] in cls.model_fields:
                found[key[len(prefix) :]] = value
        return found
