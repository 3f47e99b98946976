from yongxu.core.errors import DomainError


class PlannerError(DomainError):
    code = "planner_invalid"


class BadImport(PlannerError):
    """A history file we refuse: the message names the column or the line."""

    code = "bad_import"


class BadAdviceRequest(PlannerError):
    code = "bad_advice_request"
