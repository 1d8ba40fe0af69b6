"""A Rasa entity extractor that uses the spaCy EntityRuler built from Waymark's gazetteers.

Substances, places, postcodes and the names of needs are lists, not something to learn: "gear",
"brown", "ket", "manc", "ls14ap", "clean works" are matched the same way every time, whatever the
case, and come out with Waymark's own value (`opioids`, `ketamine`, `Manchester`,
`needle-exchange`). DIET still learns entities from
the examples; where both found something in the same words, the gazetteer's answer is kept,
so a slot never gets two values for one phrase.

In config.yml, after `SpacyNLP` (which loads the saved pipeline) and DIET:

    - name: understanding.gazetteer_extractor.GazetteerEntityExtractor

`SpacyNLP` reads its `model:` path relative to the working directory. Waymark is run from
the project folder (make, the tests, `waymark serve`), and so that it also works from
anywhere else, loading this module (which Rasa does before it creates any component) makes a
relative path that is not found there fall back to the project folder, and a missing
pipeline say how to build it instead of asking for a download.
"""
from __future__ import annotations

from pathlib import Path
from typing import Any, Callable, Dict, List, Optional, Text

from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.nlu.extractors.extractor import EntityExtractorMixin
from rasa.nlu.model import InvalidModelError
from rasa.nlu.utils.spacy_utils import SpacyModel, SpacyNLP
from rasa.shared.nlu.constants import ENTITIES, TEXT
from rasa.shared.nlu.training_data.message import Message

from understanding import spacy_pipeline

PROJECT_ROOT = Path(__file__).resolve().parent.parent


def _from_project_folder(load: Callable[[Text], SpacyModel]) -> Callable[[Text], SpacyModel]:
    def load_model(spacy_model_name: Text) -> SpacyModel:
        name = spacy_model_name
        if name and name.startswith(("build/", "./build/")) and not Path(name).exists():
            in_project = PROJECT_ROOT / name
            if not in_project.exists():
                raise InvalidModelError(
                    f"Waymark's spaCy pipeline {name} has not been built. Run `make model` in "
                    f"{PROJECT_ROOT} (it builds it from understanding/gazetteers; nothing is downloaded)."
                )
            name = str(in_project)
        return load(name)

    load_model.waymark_resolves_project_paths = True  # type: ignore[attr-defined]
    return load_model


if not getattr(SpacyNLP.load_model, "waymark_resolves_project_paths", False):
    SpacyNLP.load_model = staticmethod(_from_project_folder(SpacyNLP.load_model))  # type: ignore[method-assign]


@DefaultV1Recipe.register(
    DefaultV1Recipe.ComponentType.ENTITY_EXTRACTOR, is_trainable=False, model_from="SpacyNLP"
)
class GazetteerEntityExtractor(GraphComponent, EntityExtractorMixin):
    """Runs the saved EntityRuler on each message and adds what it finds as entities."""

    @classmethod
    def required_components(cls) -> List[type]:
        return [SpacyNLP]

    @staticmethod
    def get_default_config() -> Dict[Text, Any]:
        # Which of the ruler's labels become entities (all of them by default).
        return {"entities": [spacy_pipeline.SUBSTANCE, spacy_pipeline.PLACE, spacy_pipeline.NEED]}

    @classmethod
    def fingerprint_addon(cls, config: Dict[str, Any]) -> Optional[str]:
        # The saved spaCy folder is outside the graph: retrain when the gazetteers change.
        return spacy_pipeline.fingerprint()

    def __init__(self, config: Dict[Text, Any]) -> None:
        self.wanted = set(config.get("entities") or [])

    @classmethod
    def create(cls, config: Dict[Text, Any], model_storage: ModelStorage, resource: Resource,
               execution_context: ExecutionContext) -> "GazetteerEntityExtractor":
        return cls({**cls.get_default_config(), **config})

    def process(self, messages: List[Message], model: SpacyModel) -> List[Message]:
        for message in messages:
            text = message.get(TEXT)
            if not text:
                continue
            found = [e for e in spacy_pipeline.find_entities(model.model, text) if e["entity"] in self.wanted]
            if not found:
                continue
            others = [e for e in message.get(ENTITIES, []) if not _replaced(e, found)]
            merged = sorted(others + self.add_extractor_name(found), key=lambda e: e.get("start", 0))
            message.set(ENTITIES, merged, add_to_output=True)
        return messages


def _replaced(entity: Dict[Text, Any], found: List[Dict[Text, Any]]) -> bool:
    """Whether the gazetteer's answer replaces DIET's entity: a substance or place in the same
    words replaces anything there; a need replaces only DIET's need (the words of "alcohol
    service" are a need and hold a substance)."""
    spans = [e for e in found if e["entity"] != spacy_pipeline.NEED or entity.get("entity") == spacy_pipeline.NEED]
    return _overlaps_any(entity, spans)


def _overlaps_any(entity: Dict[Text, Any], spans: List[Dict[Text, Any]]) -> bool:
    start, end = entity.get("start"), entity.get("end")
    if start is None or end is None:
        return False
    return any(start < s["end"] and s["start"] < end for s in spans)
