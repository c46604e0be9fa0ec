"""The logged-in user as Flask-Login sees it: a session of ``accounts`` and the principal it
stands for (``access.Principal``)."""

from __future__ import annotations

from flask_login import UserMixin

from dashboard.web import access
from dashboard.web import accounts


class LoginUser(UserMixin):
    def __init__(self, info: accounts.SessionInfo, token: str):
        self.info = info
        self.token = token

    def get_id(self) -> str:
        # Flask-Login keeps this in the signed cookie: the session's token, not the account id, so
        # ending the session on the server ends the login.
        return self.token

    @property
    def is_active(self) -> bool:
        return self.info.user.active

    @property
    def principal(self) -> access.Principal:
        u = self.info.user
        return access.Principal("user", u.role, u.display_name, area=u.area_code, user_id=u.id, username=u.username)
