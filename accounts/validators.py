from django.core.validators import RegexValidator
from django.utils.translation import gettext_lazy as _

username_validators = [
    RegexValidator(
        r"^[a-zA-Z0-9_-]{3,30}$",
        _("Use 3 to 30 letters, digits, underscores or hyphens, with no spaces."),
        code="invalid_username",
    )
]
