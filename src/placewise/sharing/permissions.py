"""Permissions and roles as data: a role grants a set of permissions; views ask for a permission.

Adding a role or changing what it may do is an edit to ROLE_PERMISSIONS, not to any view.
"""

from enum import StrEnum


class Permission(StrEnum):
    DATA_VIEW_LOADS = "data.view_loads"
    DATA_UPLOAD = "data.upload"


class Role(StrEnum):
    DATA_OWNER = "data_owner"
    ANALYST = "analyst"
    HEAD_OF_SERVICE = "head_of_service"
    TEAM_MANAGER = "team_manager"
    PRACTITIONER = "practitioner"
    PARTNER_LEAD = "partner_lead"
    ENABLER = "enabler"
    ADMINISTRATOR = "administrator"

    @property
    def label(self) -> str:
        return self.value.replace("_", " ")


ROLE_PERMISSIONS: dict[Role, frozenset[Permission]] = {
    Role.DATA_OWNER: frozenset({Permission.DATA_VIEW_LOADS, Permission.DATA_UPLOAD}),
    Role.ANALYST: frozenset({Permission.DATA_VIEW_LOADS, Permission.DATA_UPLOAD}),
    Role.HEAD_OF_SERVICE: frozenset({Permission.DATA_VIEW_LOADS}),
    Role.TEAM_MANAGER: frozenset(),
    Role.PRACTITIONER: frozenset(),
    Role.PARTNER_LEAD: frozenset(),
    Role.ENABLER: frozenset(),
    Role.ADMINISTRATOR: frozenset({Permission.DATA_VIEW_LOADS}),
}
