"""Council tax: paying, balances, discounts, moving home."""

from __future__ import annotations

from actions.base import CouncilAction


class CouncilTaxPay(CouncilAction):
    """How to pay council tax."""

    response = "utter_council_tax_pay"

    def name(self) -> str:
        return "action_council_tax_pay"


class CouncilTaxBalance(CouncilAction):
    """What is owed on a council tax account."""

    response = "utter_council_tax_balance"

    def name(self) -> str:
        return "action_council_tax_balance"


class CouncilTaxDiscount(CouncilAction):
    """Discounts, exemptions and council tax support."""

    response = "utter_council_tax_discount"

    def name(self) -> str:
        return "action_council_tax_discount"


class CouncilTaxMove(CouncilAction):
    """Moving in, out or within the area."""

    response = "utter_council_tax_move"

    def name(self) -> str:
        return "action_council_tax_move"
