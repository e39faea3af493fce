"""`validate_details_form`: each service's details validation, joined into the one form."""

from __future__ import annotations

from actions.addresses import AddressDetails
from actions.confirmation import AnotherRequest, ConfirmationDetails
from actions.council_tax import CouncilTaxDetails
from actions.housing import RepairDetails
from actions.planning import PlanningDetails
from actions.report_postcode import ReportPostcodeDetails
from actions.streets import StreetReportDetails
from actions.tenancy import TenancyDetails


class ValidateDetailsForm(
    AnotherRequest,
    AddressDetails,
    CouncilTaxDetails,
    PlanningDetails,
    StreetReportDetails,
    ReportPostcodeDetails,
    RepairDetails,
    TenancyDetails,
    ConfirmationDetails,
):
    """Validates `details_form` for the pending action: each `validate_<slot>`
    comes from the service that needs that slot."""

    def name(self) -> str:
        return "validate_details_form"
