"""`Network`: the validated network data as plain pandas tables (the contract between stages)."""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd


@dataclass(frozen=True)
class Network:
    """The study's network data after loading and validation.

    nodes:     index ``node_id``; columns of `schema.NODES` (``rural`` filled False).
    links:     index ``link_id``; columns of `schema.LINKS` (``min_weekly_frequency`` NaN = none).
    hubs:      index ``hub_id``; columns of `schema.HUBS`; ``transfer_modes`` as a tuple of
               mode names; optional columns filled (fixed cost 0, optional False, customs_h 0,
               max_modules NaN = unbounded).
    corridors: index ``corridor_id``; columns origin, destination, service_class.
    history:   long table: corridor_id, month (``pd.Period`` monthly), parcels (monthly total).
    source:    where the data came from (folder or ``package:NAME``).
    version:   short content hash of the input files (traceability).
    rural:     the rural tier's tables (`data.rural`): ``counties`` indexed by county_node,
               ``townships`` by township_id; None when the study has no `rural:` section.
    """

    nodes: pd.DataFrame
    links: pd.DataFrame
    hubs: pd.DataFrame
    corridors: pd.DataFrame
    history: pd.DataFrame
    source: str = ""
    version: str = ""
    rural: dict[str, pd.DataFrame] | None = None

    def history_wide(self) -> pd.DataFrame:
        """History as a month x corridor table of parcels/month."""
        return self.history.pivot(index="month", columns="corridor_id", values="parcels")
