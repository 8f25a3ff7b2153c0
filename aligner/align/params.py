"""The parameters of linking, with their defaults: a light module (no numpy), so the CLI
can build its options from :class:`AlignParams` without loading the scorer.

Fields with ``metadata["help"]`` are command-line options (``aligner.cli.options``).
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

from aligner.errors import InputError

DEFAULT_K = 4  # neighbours each side in the margin
DEFAULT_THRESHOLD = 0.7
DEFAULT_NUMBER_BONUS = 0.25
DEFAULT_MERGE_GAIN = 0.03
DEFAULT_MERGE_THRESHOLD = 0.5
DEFAULT_PART_PENALTY = 0.1
DEFAULT_MAX_PARTNERS = 2
DEFAULT_MAX_CLAUSE_RUN = 2
DEFAULT_MUTUAL_BONUS = 0.0
DEFAULT_WORD_BONUS = 0.3
DEFAULT_SOURCE_ONLY_DISCOUNT = 0.1


@dataclass(frozen=True)
class AlignParams:
    k: int = DEFAULT_K
    threshold: float = field(default=DEFAULT_THRESHOLD, metadata={"help": "Minimum score of a link."})
    number_bonus: float = DEFAULT_NUMBER_BONUS
    merge_gain: float = DEFAULT_MERGE_GAIN
    merge_threshold: float = DEFAULT_MERGE_THRESHOLD
    part_penalty: float = DEFAULT_PART_PENALTY
    max_partners: int = DEFAULT_MAX_PARTNERS
    max_clause_run: int = field(default=DEFAULT_MAX_CLAUSE_RUN, metadata={"help": (
        "Parts are runs of up to this many clauses; 0 compares whole sentences only (about 3x fewer texts to embed).")})
    mutual_bonus: float = DEFAULT_MUTUAL_BONUS  # added when the best parts (not both whole) are each other's nearest unit
    word_bonus: float = field(default=DEFAULT_WORD_BONUS, metadata={"help": (
        "Most a link gains from rare content words both sentences' English share; 0 turns it off.")})
    # pairs compared only cross-lingually (a side without English) are linked from threshold minus this
    source_only_discount: float = DEFAULT_SOURCE_ONLY_DISCOUNT

    def __post_init__(self):
        if self.k < 1:
            raise InputError(f"k = {self.k}: the number of neighbours must be at least 1")
        if self.max_clause_run < 0:
            raise InputError(f"max_clause_run = {self.max_clause_run}: must be 0 or more")
        if self.max_partners < 1:
            raise InputError(f"max_partners = {self.max_partners}: must be at least 1")
        for name in ("threshold", "number_bonus", "merge_gain", "merge_threshold", "part_penalty", "mutual_bonus", "word_bonus", "source_only_discount"):
            if not math.isfinite(getattr(self, name)):
                raise InputError(f"{name} = {getattr(self, name)} is not a finite number")
