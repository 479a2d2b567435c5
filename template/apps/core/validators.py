"""Validators of text people type, shared by the API's serializers and the site's forms."""

from django.core.validators import RegexValidator

#: The longest text a TextField takes (the API's serializers and the site's forms).
TEXT_MAX_LENGTH = 10_000


# The validators are patterns, so the schema states them too (as `pattern`), and clients and
# fuzzers know what a valid value looks like.
_ONE_LINE = r"[^\x00-\x1f\x7f-\x9f]"

#: No control characters (Unicode category Cc: line breaks, tabs, escapes...) in a name. (A
#: blank value never reaches validators; the schema documents it apart, as `maxLength: 0`.)
validate_single_line = RegexValidator(
    rf"^{_ONE_LINE}+\Z",
    message="Control characters (such as line breaks or tabs) are not allowed.",
    code="control_characters",
)
#: The same for a name that may not be blank: something besides spaces too.
validate_single_line_not_blank = RegexValidator(
    rf"^{_ONE_LINE}*[^\s\x00-\x1f\x7f-\x9f]{_ONE_LINE}*\Z",
    message=validate_single_line.message,
    code=validate_single_line.code,
)
