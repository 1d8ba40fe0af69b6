"""Runs the trained model's graph node after node, in an order worked out once.

Rasa 3.6 runs its prediction graph through dask on every message and every dialogue
prediction: dask orders the graph again each time and schedules every node as a task, and
Rasa lists the graph's dependencies again recursively. The nodes run one at a time in any
case (dask's synchronous scheduler), so for a model that does not change while it serves,
the order can be found once per set of targets and the nodes called in it directly. Measured
with py-spy on short turns: dask and the dependency walk were about a tenth of the server's
time (benchmarks/conversations.py).

The nodes are the ones Rasa loaded (`rasa.engine.graph.GraphNode`), called exactly as dask
calls them: each with its parents' `(name, output)` pairs, or a parent's bare name where
nothing provides it.
"""
from __future__ import annotations

from typing import Any, Dict, List, Optional, Text, Tuple

from rasa.engine.exceptions import GraphRunError
from rasa.engine.graph import GraphNode, GraphSchema
from rasa.engine.runner.dask import DaskGraphRunner
from rasa.engine.runner.interface import GraphRunner

Plan = List[Tuple[Text, GraphNode, List[Text]]]


class SequentialGraphRunner(GraphRunner):
    """A GraphRunner over the nodes Rasa's DaskGraphRunner instantiated, without dask."""

    def __init__(self, schema: GraphSchema, nodes: Dict[Text, GraphNode]) -> None:
        self._schema, self._nodes = schema, nodes
        self._plans: Dict[Tuple[Text, ...], Plan] = {}

    @classmethod
    def create(cls, graph_schema, model_storage, execution_context, hooks=None) -> "SequentialGraphRunner":
        dask_runner = DaskGraphRunner(graph_schema, model_storage, execution_context, hooks)
        return cls.replacing(dask_runner)

    @classmethod
    def replacing(cls, dask_runner: DaskGraphRunner) -> "SequentialGraphRunner":
        """Take over the graph and loaded components of a runner Rasa built."""
        return cls(dask_runner._graph_schema, dask_runner._instantiated_nodes)

    def plan(self, targets: List[Text]) -> Plan:
        """The nodes the targets need, each after everything it needs (depth first)."""
        key = tuple(targets)
        if key not in self._plans:
            order: List[Text] = []
            placed: set = set()

            def place(name: Text) -> None:
                if name in placed or name not in self._schema.nodes:
                    return  # done already, or an input placeholder such as __message__
                placed.add(name)
                for parent in self._schema.nodes[name].needs.values():
                    place(parent)
                order.append(name)

            for target in targets:
                place(target)
            self._plans[key] = [(name, self._nodes[name], list(self._schema.nodes[name].needs.values()))
                                for name in order]
        return self._plans[key]

    def run(self, inputs: Optional[Dict[Text, Any]] = None,
            targets: Optional[List[Text]] = None) -> Dict[Text, Any]:
        run_targets = targets if targets else self._schema.target_names
        outputs: Dict[Text, Any] = {}
        for name, value in (inputs or {}).items():
            if isinstance(value, str) and value in self._schema.nodes:
                raise GraphRunError(f"Input value '{value}' clashes with a node name.")
            outputs[name] = (name, value)
        try:
            for name, node, parents in self.plan(run_targets):
                outputs[name] = node(*(outputs.get(parent, parent) for parent in parents))
        except RuntimeError as e:  # as DaskGraphRunner reports a failed run
            raise GraphRunError("Error running runner.") from e
        return dict(outputs[target] for target in run_targets)
