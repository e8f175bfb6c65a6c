"""The six cues of the taxonomy, each raised by named patterns whose match is its evidence."""

from __future__ import annotations

from sentiment_udfs.crm_layer import crm_data
from sentiment_udfs.taxonomy import CUES


def detect_cues(
    lower_text: str, compound: float, sarcasm: list[dict], escalation: list[dict]
) -> tuple[dict[str, bool], list[dict]]:
    """Cue booleans and the evidence that raised them.

    ``lower_text`` is the cleaned, lower-cased text; sarcasm and escalation come from the CRM layer.

    >>> cues, ev = detect_cues("i want to cancel my subscription asap", -0.3, [], [])
    >>> [c for c, on in cues.items() if on]
    ['churn_intent', 'urgency']
    """
    patterns = crm_data().cues
    cues = dict.fromkeys(CUES, False)
    evidence: list[dict] = []
    for cue, cue_patterns in patterns.items():
        if cue == "praise" and (sarcasm or compound < 0.05):
            continue  # praise said in irony, or next to a complaint, is not praise
        for p in cue_patterns:
            m = p.regex.search(lower_text)
            if m:
                cues[cue] = True
                span = m.group(0).strip()[:80]
                evidence.append(
                    {"kind": "pattern", "target": cue, "text": f"{p.name}: '{span}'", "weight": 1.0}
                )
                break
    if sarcasm:
        cues["sarcasm"] = True
    if escalation:
        cues["urgency"] = True
        evidence.append(
            {"kind": "rule", "target": "urgency", "text": "polite escalation", "weight": 1.0}
        )
    return cues, evidence
