"""A failing property test prints the drawn values themselves, as a user running pytest sees them.

Hypothesis prints a value made by `.map(f)` as the call `f(x)` when that is shorter than its repr,
which showed users `email=make((0, 1))`. Here a user's failing tests run in a pytest subprocess;
their falsifying examples must be literal values equal to what the tests received.
"""

from __future__ import annotations

import ast
import json
import re
import subprocess
import sys
from pathlib import Path

from cognito_mock.strategies import emails, names, passwords, usernames

USER_TESTS = """
import json
import pathlib

from hypothesis import Phase, given, settings

from cognito_mock.strategies import (
    addresses, attributes, emails, from_operation, from_shape, locales, names, passwords,
    phone_numbers, usernames,
)

HERE = pathlib.Path(__file__).parent


def keep(test, values):
    # The last run replays the falsifying example: keep what the test received.
    (HERE / f"{test}.json").write_text(json.dumps({k: repr(v) for k, v in values.items()}))


@settings(database=None, derandomize=True, max_examples=20)
@given(email=emails(), name=names())
def test_signup(email, name):
    keep("test_signup", dict(locals()))
    assert email.count("@") != 1, "the user's code mishandles every address"


# Without the explain phase, which only adds "# or any other generated value" comments and costs
# seconds per argument.
@settings(
    database=None, derandomize=True, max_examples=20, phases=[Phase.generate, Phase.shrink]
)
@given(
    phone=phone_numbers(),
    address=addresses(),
    locale=locales(),
    username=usernames("case_insensitive"),
    password=passwords({"MinimumLength": 6}),
    attrs=attributes(),
    request=from_operation("AdminCreateUser"),
    edge=from_operation("AdminGetUser", mode="edge"),
    invalid=from_operation("ListUsers", mode="invalid"),
    pool=from_shape("UserPoolIdType", mode="edge"),
    created=from_shape("DateType"),
)
def test_everything_else(
    phone, address, locale, username, password, attrs, request, edge, invalid, pool, created
):
    keep("test_everything_else", dict(locals()))
    assert not phone, "the user's code mishandles every phone number"
"""


def _printed(output: str, test: str) -> dict[str, ast.expr]:
    """The arguments of the `test(...)` call Hypothesis printed (comments and line breaks aside)."""
    start = re.search(rf"(?:Falsifying example|Failing test case): ({test}\()", output)
    assert start is not None, output
    lines = output[start.start(1) :].splitlines()
    for end in range(1, len(lines) + 1):
        try:
            call = ast.parse("\n".join(lines[:end]), mode="eval").body
        except SyntaxError:
            continue
        assert isinstance(call, ast.Call)
        return {k.arg: k.value for k in call.keywords if k.arg is not None}
    raise AssertionError(output)


def _is_literal(node: ast.expr) -> bool:
    if isinstance(node, ast.Call):  # only our dataclass, built from literals
        return (
            isinstance(node.func, ast.Name)
            and node.func.id == "InvalidRequest"
            and all(_is_literal(k.value) for k in node.keywords)
        )
    try:
        ast.literal_eval(node)
    except ValueError:
        return False
    return True


def test_failing_tests_print_the_values_they_received(tmp_path: Path) -> None:
    (tmp_path / "test_user.py").write_text(USER_TESTS)
    run = subprocess.run(
        [sys.executable, "-m", "pytest", "test_user.py", "-q", "--tb=native", "-p", "no:randomly"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert "2 failed" in run.stdout, run.stdout + run.stderr
    assert "make(" not in run.stdout
    for test in ("test_signup", "test_everything_else"):
        printed = _printed(run.stdout, test)
        seen = json.loads((tmp_path / f"{test}.json").read_text())
        assert set(printed) == set(seen)
        for name, node in printed.items():
            assert _is_literal(node), f"{name} printed as {ast.unparse(node)}"
            assert ast.dump(node) == ast.dump(ast.parse(seen[name], mode="eval").body), name
    email = ast.literal_eval(_printed(run.stdout, "test_signup")["email"])
    assert re.fullmatch(r"[\w.+-]+@example\.(com|net|org)", email), email


def test_strategies_show_the_call_that_made_them() -> None:
    assert repr(emails()) == "emails()"
    assert repr(names(("ja_JP",))) == "names(locales=('ja_JP',))"
    assert repr(usernames("email")) == "usernames(config='email')"
    assert repr(passwords({"MinimumLength": 6}, violate="length")) == (
        "passwords(policy={'MinimumLength': 6}, violate='length')"
    )
