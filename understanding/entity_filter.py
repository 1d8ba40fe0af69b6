"""A Rasa component that drops entities that must never be searched for.

After `EntitySynonymMapper` (so "clean needles" has already become `needle-exchange`): a
`need` that is not a taxonomy code (DIET once read "CLEEN" as a need, and the search then
offered a women-only recovery space instead of the needle exchange), a substance that is not
a taxonomy code, and an `age` read from a postcode ("ls 8") or a time ("11.30"). The rules
are `understanding.who_what_where.clean_entities`, which the assistant also applies to every
parse (a button's payload, a remembered parse) before the dialogue.

In config.yml, last but the FallbackClassifier:

    - name: understanding.entity_filter.TaxonomyEntityFilter
"""
from __future__ import annotations

from typing import Any, Dict, List, Text

from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.shared.nlu.constants import ENTITIES, TEXT
from rasa.shared.nlu.training_data.message import Message

from understanding.who_what_where import clean_entities


@DefaultV1Recipe.register(DefaultV1Recipe.ComponentType.ENTITY_EXTRACTOR, is_trainable=False)
class TaxonomyEntityFilter(GraphComponent):
    @classmethod
    def create(cls, config: Dict[Text, Any], model_storage: ModelStorage, resource: Resource,
               execution_context: ExecutionContext) -> "TaxonomyEntityFilter":
        return cls()

    def process(self, messages: List[Message]) -> List[Message]:
        for message in messages:
            entities = message.get(ENTITIES) or []
            if entities:
                kept = clean_entities(entities, message.get(TEXT) or "")
                if len(kept) != len(entities):
                    message.set(ENTITIES, kept, add_to_output=True)
        return messages
