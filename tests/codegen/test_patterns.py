"""Hand-written match/no-match table for every model Java pattern, checked on two regex engines."""

from __future__ import annotations

import re
from dataclasses import dataclass

import pytest
import regex

from cognito_mock.codegen.patterns import translate
from cognito_mock.shapes import schema_document


@dataclass(frozen=True)
class Row:
    """One model pattern: values Java's `Pattern.matches` accepts and values it rejects.

    `shape` names one shape carrying the pattern (a readable test id, and checked against the model).
    `regex_differs` lists values on which the `regex` module, reading the original Java pattern,
    legitimately disagrees with Java (Unicode `\\s`, `.` accepting `\\r`/U+0085/U+2028); the table
    (Java semantics) wins for the translation, and the test asserts the disagreement is real.
    """

    shape: str
    java: str
    match: tuple[str, ...]
    no_match: tuple[str, ...]
    regex_differs: tuple[str, ...] = ()


NBSP = "\u00a0"  # category Zs: in \p{Z}, not in Java's ASCII \s
LSEP = "\u2028"  # LINE SEPARATOR, category Zl: a Java line terminator, in \p{Z}, not in Java's \s
NEL = "\u0085"  # NEXT LINE, category Cc: a Java line terminator, not in Java's \s
IDEO_SPACE = "\u3000"  # IDEOGRAPHIC SPACE, category Zs
ZWSP = "\u200b"  # ZERO WIDTH SPACE, category Cf (format), in none of L M S N P Z
GRIN = "\U0001f600"  # GRINNING FACE, category So -> \p{S}; astral (a surrogate pair in Java)
ARABIC_3 = "\u0663"  # ARABIC-INDIC DIGIT THREE, category Nd: Unicode \d and \w, not Java's
UUID4 = "d73840a1-530c-47ac-a64f-f2c179328c9d"
UUID7 = "e19c3208-c041-70be-d6e8-a88453870f6c"  # a 2023+ Cognito sub: neither v4 nor RFC variant
ARN_ROLE = "arn:aws:iam::123456789012:role/CognitoSMS"
SM_ARN = "arn:aws:secretsmanager:us-east-1:123456789012:secret/"

# Character-class members spelled out for reading the rows below:
#   \w = [A-Za-z0-9_] and \d = [0-9] and \s = [ \t\n\x0B\f\r] (ASCII: AWS does not use
#   UNICODE_CHARACTER_CLASS); \p{X} = Unicode general category X; '.' = anything but
#   \n \r U+0085 U+2028 U+2029 unless (?s); `matches()` must consume the whole value, so a '$'
#   that could match before a final '\n' never lets "abc\n" through.
TABLE: list[Row] = [
    Row(
        "SmsInviteMessageType",
        r"(?s).*",
        ("", "Your username is {username} and code {####}", "line1\nline2", "a\r\nb", LSEP, NEL),
        (),  # (?s).* accepts every string
    ),
    Row(
        "OptionalArnType",
        r"(arn:[\w+=/,.@-]+:[\w+=/,.@-]+:([\w+=/,.@-]*)?:[0-9]+:[\w+=/,.@-]+(:[\w+=/,.@-]+)?(:[\w+=/,.@-]+)?)?",
        (
            "",
            ARN_ROLE,
            "arn:aws:kms:us-east-1:123456789012:key/1234abcd-12ab-34cd",
            "arn:aws:lambda:us-east-1:123456789012:function:my-fn:1",
        ),
        (
            "arn",
            "arn:aws:iam::acct:role/x",
            "arn:aws:iam::123456789012:role/\u00e9",
            ARN_ROLE + "\n",
            " " + ARN_ROLE,
            "arn:aws:iam::123456789012:",
            "arn:aws:lambda:us-east-1:123456789012:function:a:b:c",
        ),
    ),
    Row(
        "SmsVerificationMessageType",
        r".*\{####\}.*",
        ("{####}", "Your code is {####}.", "C\u00f3digo: {####} " + GRIN),
        (
            "",
            "Your code is {###}",
            "{####",
            "code {####}\n",
            "line1\n{####}",
            "a\r{####}",
            "{####}" + LSEP,
            "{####}" + NEL,
        ),
        # The regex module's '.' only excludes '\n'; Java's also excludes \r U+0085 U+2028 U+2029.
        regex_differs=("a\r{####}", "{####}" + LSEP, "{####}" + NEL),
    ),
    Row(
        "AcrLevelKeyType",
        r"Level[1-4]",
        ("Level1", "Level4"),
        ("Level5", "Level0", "level1", "Level1 ", "Level12", "Level", "Level1\n"),
    ),
    Row(
        "AWSAccountIdType",
        r"[0-9]+",
        ("123456789012", "0"),
        ("", "12a", "\uff11\uff12", ARABIC_3, "12\n", "-1", " 1"),
    ),
    Row(
        "GetDerivedTokenTokenModelType",
        r"[A-Za-z0-9-_+/=.]+",
        ("abc-_+/=.", "eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiIxIn0.s-_+/=", "-", "_"),
        # ':' '^' '[' would match if `9-_` were misread as a range; ',' sits between '+' and '-'.
        ("", "a:b", "a^b", "a[b", "a,b", "a b", "\u00e9", "a\n"),
    ),
    Row(
        "TokenModelType",
        r"[A-Za-z0-9-_=.]+",
        ("a.b-c_d=", "-"),
        ("", "a+b", "a/b", "a:b", "\u00e4", "a\n"),
    ),
    Row(
        "SecretCodeType",
        r"[A-Za-z0-9]+",
        ("JBSWY3DPEHPK3PXP", "abc123"),
        ("", "JBSW Y3DP", "_", "\u00fc", "abc\n", "abc="),
    ),
    Row(
        "PasswordType",
        r"[\S]+",
        # Java's \S is "not ASCII whitespace": NBSP, U+2028, U+3000 and \x1c are all non-space.
        ("P@ssw0rd!", "p\u00e4ssw\u00f6rd", NBSP, LSEP, IDEO_SPACE, "\x1c", GRIN, "\x00"),
        ("", "pass word", "pass\tword", "password\n", "\x0b", "\r", " ", "\x0c"),
    ),
    Row(
        "ProviderNameType",
        r"[\p{L}\p{M}\p{S}\p{N}\p{P}\p{Z}]+",
        ("Google", "My Provider", "\u00e9", GRIN, "a" + NBSP + "b", "a" + LSEP + "b", "e\u0301"),
        ("", "a\tb", "a\nb", "abc\n", "\x00", ZWSP, "\ufeff", "\ue000"),
    ),
    Row(
        "EmailInviteMessageType",
        r"[\p{L}\p{M}\p{S}\p{N}\p{P}\s*]*",
        (
            "",
            "Your username is {username} and temporary password is {####}.",
            "Hi,\n\tthere\r\n",
            "***",
            GRIN,
            "\x0b\x0c",
        ),
        ("a" + NBSP + "b", "a" + LSEP + "b", "a" + NEL + "b", "a" + IDEO_SPACE + "b", "\x00"),
        # Mixes \p{..} with \s, so the regex module must run in Unicode mode, where \s is wider.
        regex_differs=("a" + NBSP + "b", "a" + LSEP + "b", "a" + NEL + "b", "a" + IDEO_SPACE + "b"),
    ),
    Row(
        "EmailVerificationMessageType",
        r"[\p{L}\p{M}\p{S}\p{N}\p{P}\s*]*\{####\}[\p{L}\p{M}\p{S}\p{N}\p{P}\s*]*",
        ("{####}", "Your code is {####}.\n", "C\u00f3digo: {####} \u2714", "*{####}*"),
        ("", "Your code is {###}", "{ #### }", "Code\x00{####}", "{####}" + NBSP),
        regex_differs=("{####}" + NBSP,),
    ),
    Row(
        "EmailVerificationMessageByLinkType",
        r"[\p{L}\p{M}\p{S}\p{N}\p{P}\s*]*\{##[\p{L}\p{M}\p{S}\p{N}\p{P}\s*]*##\}[\p{L}\p{M}\p{S}\p{N}\p{P}\s*]*",
        ("{##Verify Email##}", "Click {##here##} to verify.\n", "{####}", "{##\u00e9##}"),
        ("", "{##Verify", "Verify Email##}", "{#Verify#}", "{##a" + NBSP + "b##}", "{##a\x07##}"),
        regex_differs=("{##a" + NBSP + "b##}",),
    ),
    Row(
        "EmailNotificationBodyType",
        r"[\p{L}\p{M}\p{S}\p{N}\p{P}\s*]+",
        ("Someone signed in to your account.\n", "*", "\t", GRIN),
        ("", "\x07", "a" + LSEP + "b"),
        regex_differs=("a" + LSEP + "b",),
    ),
    Row(
        "EmailVerificationSubjectType",
        r"[\p{L}\p{M}\p{S}\p{N}\p{P}\s]+",
        ("Your verification code", "V\u00e9rification", "\t", "*"),  # '*' is Po, so in \p{P}
        ("", "\x1b", "a" + NBSP + "b", "a" + IDEO_SPACE + "b"),
        regex_differs=("a" + NBSP + "b", "a" + IDEO_SPACE + "b"),
    ),
    Row(
        "AttributeNameType",
        r"[\p{L}\p{M}\p{S}\p{N}\p{P}\t\n\r ]+",
        ("email", "custom:tenant id", "a\tb\nc\r", "\u540d\u524d"),
        ("", "a\x0bb", "a\x0cb", "a" + NBSP + "b", "a" + LSEP + "b"),
    ),
    Row(
        "UsernameType",
        r"[\p{L}\p{M}\p{S}\p{N}\p{P}]+",
        (
            "alice",
            "\u00e9",
            "Jos\u00e9",
            "e\u0301",  # e + COMBINING ACUTE ACCENT (Mn)
            "user@example.com",
            GRIN,
            "\u2764\ufe0f",  # HEAVY BLACK HEART (So) + VARIATION SELECTOR-16 (Mn)
            ARABIC_3,
            "+1-555",
            "\u7528\u6237",
        ),
        (
            "",
            "alice smith",
            "alice\n",
            "a\tb",
            "a" + NBSP + "b",
            "a" + LSEP + "b",
            ZWSP,
            "\U0001f469\u200d\U0001f4bb",  # woman + ZERO WIDTH JOINER (Cf) + laptop
        ),
    ),
    Row(
        "EmailAddressType",
        r"[\p{L}\p{M}\p{S}\p{N}\p{P}]+@[\p{L}\p{M}\p{S}\p{N}\p{P}]+",
        ("alice@example.com", "jos\u00e9@ex\u00e4mple.com", "a@b@c", GRIN + "@" + GRIN),
        ("@example.com", "alice@", "alice", "alice @example.com", "alice@example.com\n"),
    ),
    Row(
        "EventIdType",
        r"[\w+-]+",
        ("a+b-c_1", "-"),
        ("", "\u00e9", "a.b", "a b", "abc\n", ARABIC_3),
    ),
    Row(
        "SecretHashType",
        r"[\w+=/]+",
        ("qBkGf3f+Ez/Ab==",),
        ("", "\u00e9", "a-b", "abc\n", "a b"),
    ),
    Row(
        "ClientIdType",
        r"[\w+]+",
        ("1m6rume6kfvk2clp6hgl5rl2hi", "a+b_C"),
        ("", "\u00e9", "\uff41", ARABIC_3, "abc\n", "a-b"),
    ),
    Row(
        "DeviceKeyType",
        r"[\w-]+_[0-9a-f-]+",
        ("eu-west-2_bb745d49-5a3a-46d4-b71e-af50d89d4108", "a_b_c"),
        ("eu-west-2_BB745D49", "eu-west-2", "_abc", "\u00e9_abc", "eu-west-2_bb74\n", "a_xyz"),
    ),
    Row(
        "UserPoolIdType",
        r"[\w-]+_[0-9a-zA-Z]+",
        ("us-east-1_Zi0dYW1fC", "a_b"),
        (
            "us-east-1Zi0dYW1fC",
            "us-east-1_",
            "us-east-1_Zi0d-YW1fC",
            "\u00fcs-east-1_Zi0dYW1fC",
            "us-east-1_Zi0dYW1fC\n",
            "us-east-1_Zi0dYW1fC ",
        ),
    ),
    Row(
        "UserPoolNameType",
        r"[\w\s+=,.@-]+",
        ("My Pool", "pool+1=a,b.c@d-e", "tab\there", "a\x0bb", "trailing newline\n"),
        ("", "\u00e9", "pool/1", "pool:1", "a" + NBSP + "b", "a" + LSEP + "b"),
    ),
    Row(
        "IdpIdentifierType",
        r"[\w\s+=.@-]+",
        ("example.com", "id+1=a@b-c d"),
        ("", "a,b", "\u00e9", "a" + NBSP + "b", "a/b"),
    ),
    Row(
        "CompletionMessageType",
        r"[\w]+",
        ("abc", "ABC_123"),
        ("", "abc\n", "\u00e9", "a b", "a-b", ARABIC_3),
    ),
    Row(
        "ResourceServerScopeNameType",
        r"[\x21\x23-\x2E\x30-\x5B\x5D-\x7E]+",
        ("read", "admin:write", "!#$%&'()*+,-.", "~[]"),
        ("", "a/b", 'a"b', "a\\b", "a b", "\u00e9", "\x7f", "a\n"),
    ),
    Row(
        "ScopeType",
        r"[\x21\x23-\x5B\x5D-\x7E]+",
        ("openid", "https://api.example.com/read", "aws.cognito.signin.user.admin"),
        ("", "a b", 'a"b', "a\\b", "\u00fc", "\x7f", "openid\n"),
    ),
    Row(
        "ProviderNameTypeV2",
        r"[^_\p{Z}][\p{L}\p{M}\p{S}\p{N}\p{P}][^_\p{Z}]+",
        (
            "Google",
            "a_bc",  # '_' (Pc) is fine in the second position only
            "\tab",  # the negated classes accept control characters...
            "ab\n",  # ...including a trailing newline
            GRIN * 3,
        ),
        (
            "_abc",
            NBSP + "abc",
            " abc",
            "ab",
            "abc_d",
            "SAML_Provider",
            "ab c",
            "a bc",
            "x\ny",
            "abc" + LSEP,
            "abc" + IDEO_SPACE,
        ),
    ),
    Row(
        "TermsNameType",
        r"^(terms-of-use|privacy-policy)$",
        ("terms-of-use", "privacy-policy"),
        ("", "terms-of-use\n", "Terms-of-use", "terms-of-useprivacy-policy", "privacy"),
    ),
    Row(
        "SessionIdType",
        r"^(tkn|sso)[a-z0-9]{25}$",
        ("tkn0123456789abcdefghijklmno", "ssozzzzzzzzzzzzzzzzzzzzzzzzz"),
        (
            "tkn0123456789abcdefghijklmn",
            "tkn0123456789abcdefghijklmnop",
            "tkn0123456789ABCDEFGHIJKLMNO",
            "abc0123456789abcdefghijklmno",
            "tkn0123456789abcdefghijklmno\n",
        ),
    ),
    Row(
        "S3BucketType",
        r"^[0-9A-Za-z\.\-_]*(?<!\.)$",
        ("", "my-bucket", "my.bucket_1", ".bucket", "a.b"),
        # A Python '$' would accept "bucket\n": it also matches before a final newline.
        ("my-bucket.", ".", "my bucket", "b\u00fccket", "bucket\n", "bucket.\n"),
    ),
    Row(
        "HexStringType",
        r"^[0-9a-fA-F]+$",
        ("deadBEEF", "0"),
        ("", "xyz", "dead\n", ARABIC_3, "\uff46"),
    ),
    Row(
        "ManagedLoginBrandingIdType",
        r"^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[4][0-9a-fA-F]{3}-[89abAB][0-9a-fA-F]{3}-[0-9a-fA-F]{12}$",
        (UUID4, UUID4.upper(), "00000000-0000-4000-8000-000000000000"),
        (
            UUID7,
            "d73840a1-530c-47ac-c64f-f2c179328c9d",
            "d73840a1530c47aca64ff2c179328c9d",
            UUID4 + "\n",
            "{" + UUID4 + "}",
        ),
    ),
    Row(
        "RestoreIdType",
        r"^[0-9a-f]{8}\b-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-\b[0-9a-f]{12}$",
        (UUID7, UUID4, "00000000-0000-0000-0000-000000000000"),
        (
            UUID7.upper(),
            UUID7.replace("-", ""),
            UUID7 + "\n",
            UUID7 + "c",
            "e19c3208--c041-70be-d6e8-a88453870f6c",
            "e19c320-c041-70be-d6e8-a88453870f6c",
        ),
    ),
    Row(
        "LinkUrlType",
        r"^[\p{L}\p{M}\p{S}\p{N}\p{P}]+$",
        ("https://example.com/terms", "https://\u4f8b\u3048.jp/\u89c4\u7ea6?a=1#b"),
        ("", "https://example.com/a b", "https://example.com\n", "https://example.com" + ZWSP),
    ),
    Row(
        "ResourceIdType",
        r"^[\w\- ]+$",
        ("my-resource id_1", " "),
        ("", "a\tb", "\u00e9", "a.b", "abc\n"),
    ),
    Row(
        "DomainType",
        r"^[a-z0-9](?:[a-z0-9\-]{0,61}[a-z0-9])?$",
        ("a", "my-domain", "0-0", "a" * 63),
        ("", "-abc", "abc-", "My-domain", "a" * 64, "my_domain", "my.domain", "abc\n"),
    ),
    Row(
        "CIMDPolicyIdType",
        r"^[a-z0-9]+$",
        ("abc123",),
        ("", "ABC", "abc-1", "abc\n", "\u00e9"),
    ),
    Row(
        "SESConfigurationSet",
        r"^[a-zA-Z0-9_-]+$",
        ("my-config_Set1",),
        ("", "my config", "my.config", "\u00e9", "abc\n"),
    ),
    Row(
        "ClientSecretArnType",
        r"^arn\:(aws|aws-us-gov|aws-eusc)\:secretsmanager\:([\d\w\-]+):(\d{12})\:secret\/[\w+=\/,.@\-]+$",
        (
            SM_ARN + "my-secret-AbCdEf",
            "arn:aws-us-gov:secretsmanager:us-gov-west-1:123456789012:secret/a+b=c,d.e@f/g",
            "arn:aws-eusc:secretsmanager:eusc-de-east-1:123456789012:secret/s",
        ),
        (
            SM_ARN,
            SM_ARN.replace(":aws:", ":aws-cn:") + "x",
            SM_ARN.replace("123456789012", "12345678901") + "x",
            SM_ARN.replace("123456789012", ARABIC_3 * 12) + "x",
            SM_ARN.replace("secretsmanager", "kms") + "x",
            SM_ARN + "x\n",
            SM_ARN + "\u00e9",
            SM_ARN.replace("us-east-1", "us east 1") + "x",
        ),
    ),
    Row(
        "LanguageIdType",
        r"^cognito:(default|dutch|english|french|spanish|german|bahasa-indonesia|italian|japanese|korean|portuguese-brazil|chinese-(simplified|traditional))$",
        ("cognito:default", "cognito:chinese-simplified", "cognito:portuguese-brazil"),
        ("cognito:chinese", "cognito:English", "cognito:klingon", "cognito:default\n", "default"),
    ),
    Row(
        "URLPatternType",
        r"^https://[!$-;=@-\[\]_a-z~]+$",
        ("https://example.com/path", "https://Example.COM:8443/a/b;c=d", "https://x.io/[x]_~!"),
        (
            "https://",
            "http://example.com",
            "https://example.com/?q=1",
            "https://example.com/#frag",
            "https://ex\u00e4mple.com",
            "https://example.com/a b",
            "https://example.com/a\\b",
            "https://example.com/^",
            "https://example.com/{x}",
            "https://example.com/<x>",
        ),
    ),
    Row(
        "MetadataURLType",
        r"^https://[^\s]+$",
        (
            "https://example.com/saml/metadata?x=1#y",
            "https://ex\u00e4mple.com/" + NBSP,  # NBSP is not Java \s
            "https://a" + LSEP,  # nor is U+2028
        ),
        ("https://", "https://a b", "https://a\tb", "https://example.com\n", "http://example.com"),
    ),
    Row(
        "ArnType",
        r"arn:[\w+=/,.@-]+:[\w+=/,.@-]+:([\w+=/,.@-]*)?:[0-9]+:[\w+=/,.@-]+(:[\w+=/,.@-]+)?(:[\w+=/,.@-]+)?",
        (ARN_ROLE, "arn:aws:kms:us-east-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab"),
        (
            "",
            "arn:aws:iam::123456789012",
            "arn:aws:iam::123456789012:role/\u00e9",
            ARN_ROLE + "\n",
            "arn:aws:iam:us-east-1:acct:role/x",
            "arn::iam::123456789012:role/x",
        ),
    ),
    Row(
        "S3ArnType",
        r"arn:[\w+=/,.@-]+:[\w+=/,.@-]+:::[\w+=/,.@-]+(:[\w+=/,.@-]+)?(:[\w+=/,.@-]+)?",
        ("arn:aws:s3:::my-bucket", "arn:aws:s3:::my-bucket/prefix/key.csv"),
        (
            "arn:aws:s3:us-east-1::my-bucket",
            "arn:aws:s3:::",
            "arn:aws:s3:::my bucket",
            "arn:aws:s3:::b\u00fccket",
            "arn:aws:s3:::my-bucket\n",
        ),
    ),
    Row(
        "UserImportJobIdType",
        r"import-[0-9a-zA-Z-]+",
        ("import-TZqNQvDRnW", "import--"),
        ("import-", "import_abc", "Import-abc", "import-abc_def", "import-abc\n", "import-\u00e9"),
    ),
]

# Rows whose pattern accepts every string, so they cannot have a no-match value.
UNIVERSAL = {r"(?s).*"}


def _model_patterns() -> dict[str, list[str]]:
    """Java pattern -> names of the model shapes carrying it, from the generated schema."""
    out: dict[str, list[str]] = {}
    for name, schema in schema_document()["$defs"].items():
        if "x-java-pattern" in schema:
            out.setdefault(schema["x-java-pattern"], []).append(name)
    return out


def _cases() -> list[pytest.param]:
    cases = []
    for row in TABLE:
        for expected, values in ((True, row.match), (False, row.no_match)):
            for i, value in enumerate(values):
                tag = f"{row.shape}-{'match' if expected else 'reject'}{i}"
                cases.append(pytest.param(row, value, expected, id=tag))
    return cases


CASES = _cases()


def test_every_model_pattern_has_a_row() -> None:
    model = _model_patterns()
    assert len(model) == 47
    in_table = [row.java for row in TABLE]
    assert sorted(set(model) - set(in_table)) == [], "new model pattern(s): add a row to TABLE"
    assert sorted(set(in_table) - set(model)) == [], "pattern(s) no longer in the model"
    assert len(in_table) == len(set(in_table)), "duplicate rows"


def test_each_row_names_a_shape_with_its_pattern() -> None:
    defs = schema_document()["$defs"]
    wrong = [row.shape for row in TABLE if defs[row.shape].get("x-java-pattern") != row.java]
    assert wrong == []


def test_each_row_has_values_on_both_sides() -> None:
    for row in TABLE:
        assert row.match, row.shape
        assert bool(row.no_match) != (row.java in UNIVERSAL), row.shape
        assert set(row.match).isdisjoint(row.no_match), row.shape
        assert set(row.regex_differs) <= set(row.match) | set(row.no_match), row.shape


@pytest.mark.parametrize(("row", "value", "expected"), CASES)
def test_translated_pattern(row: Row, value: str, expected: bool) -> None:
    assert bool(re.search(translate(row.java), value)) is expected


def _java_flags(java: str) -> int:
    # regex.ASCII would make \p{L} ASCII-only too, so patterns with \p{..} run in Unicode mode; for
    # the five that also use \s, the values where Unicode \s differs are listed in `regex_differs`.
    return 0 if r"\p{" in java else regex.ASCII


@pytest.mark.parametrize(("row", "value", "expected"), CASES)
def test_regex_module_reads_the_java_pattern_alike(row: Row, value: str, expected: bool) -> None:
    matched = bool(regex.fullmatch(row.java, value, flags=_java_flags(row.java)))
    if value in row.regex_differs:
        assert matched is not expected, "listed in regex_differs but the engines agree"
    else:
        assert matched is expected
