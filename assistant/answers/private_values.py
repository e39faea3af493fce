"""Values an answer must never show: slots that hold a resident's personal data
unmasked (the verified council tax reference, the reference typed, the property's
postcode and UPRN, a penalty charge notice, the house number) and the identity
check's state. Staff cannot save an answer that names one (`AnswerBook.check_edit`),
and the NLG server never fills a placeholder from one (`template_values`), so an
answer saved before this rule still shows nothing. A reference shown to a resident
is the masked one an action passes (`{reference}`, such as "*345")."""

from __future__ import annotations

PRIVATE_SLOTS = frozenset(
    {
        "verified_account",
        "verified_at",
        "verification_attempts",
        "council_tax_ref",
        "property_postcode",
        "uprn",
        "pcn",
        "house",
    }
)
