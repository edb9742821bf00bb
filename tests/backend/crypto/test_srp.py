"""Our SRP server against pycognito's independent SRP client (user and device variants)."""

from __future__ import annotations

import base64
import os
import re
from datetime import datetime, timezone

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from pycognito import aws_srp

from cognito_mock.backend.crypto import srp
from cognito_mock.ids import Ids
from tests.helpers import PASSWORD

POOL_ID = "us-east-1_Zi0dYW1fC"
POOL_NAME = "Zi0dYW1fC"
USER_ID = "7f2c1a9e-3b4d-4e5f-8a6b-1c2d3e4f5a6b"  # USER_ID_FOR_SRP: the internal username
DEVICE_GROUP_KEY = "-M2nI29X6"
DEVICE_KEY = "eu-west-2_bb745d49-5a3a-46d4-b71e-af50d89d4108"


def pycognito_client(password: str = PASSWORD, **device: str) -> aws_srp.AWSSRP:
    # Any non-None `client` keeps AWSSRP from building a boto3 client; we never call the network.
    return aws_srp.AWSSRP(
        username=USER_ID,
        password=password,
        pool_id=POOL_ID,
        client_id="1m6rume6kfvk2clp6hgl5rl2hi",
        client=object(),
        **device,
    )


def secret_block() -> str:
    return base64.b64encode(os.urandom(900)).decode()


def user_round(password: str = PASSWORD, verifier_user_id: str = USER_ID):
    """InitiateAuth + PASSWORD_VERIFIER: pycognito's answer (as USER_ID) to our challenge."""
    salt = srp.new_salt(os.urandom)
    verifier = srp.password_verifier(POOL_NAME, verifier_user_id, PASSWORD, salt)
    client = pycognito_client(password)
    challenge = srp.start_challenge(client.get_auth_params()["SRP_A"], verifier, os.urandom)
    parameters = {
        "SALT": salt,
        "SRP_B": challenge.srp_b_hex,
        "SECRET_BLOCK": secret_block(),
        "USERNAME": USER_ID,
        "USER_ID_FOR_SRP": USER_ID,
    }
    answer = client.process_challenge(parameters, {"USERNAME": USER_ID})
    return challenge, answer


def verify(challenge: srp.ServerChallenge, answer: dict, **override: str) -> bool:
    values = {
        "pool_name": POOL_NAME,
        "user_id": USER_ID,
        "secret_block_b64": answer["PASSWORD_CLAIM_SECRET_BLOCK"],
        "timestamp": answer["TIMESTAMP"],
        "signature_b64": answer["PASSWORD_CLAIM_SIGNATURE"],
    }
    values.update(override)
    return challenge.verify(**values)


# --- constants ------------------------------------------------------------------------------


def test_k_is_the_fact_sheet_constant():
    assert int("538282c4354742d7cbbde2359fcf67f9f5b3a6b08791e5011b43b8a5b66d9ee6", 16) == srp.K


def test_n_and_g_match_pycognito():
    assert int(aws_srp.N_HEX, 16) == srp.N
    assert srp.N.bit_length() == 3072
    assert srp.G == 2


def test_pool_name_for_srp():
    assert srp.pool_name_for_srp(POOL_ID) == POOL_NAME


# --- user SRP -------------------------------------------------------------------------------


def test_right_password_verifies():
    challenge, answer = user_round()
    assert verify(challenge, answer)


def test_srp_b_is_bare_lowercase_hex():
    challenge, _ = user_round()
    assert re.fullmatch(r"[0-9a-f]+", challenge.srp_b_hex)
    assert not challenge.srp_b_hex.startswith("0")
    assert 0 < challenge.srp_b < srp.N


def test_wrong_password_fails():
    challenge, answer = user_round(password="Wrong-Horse-9")
    assert not verify(challenge, answer)


def test_tampered_secret_block_fails():
    challenge, answer = user_round()
    block = bytearray(base64.b64decode(answer["PASSWORD_CLAIM_SECRET_BLOCK"]))
    block[0] ^= 1
    assert not verify(challenge, answer, secret_block_b64=base64.b64encode(block).decode())


def test_different_timestamp_fails():
    challenge, answer = user_round()
    later = srp.format_timestamp(srp.parse_timestamp(answer["TIMESTAMP"]) + 1)
    assert not verify(challenge, answer, timestamp=later)


def test_wrong_user_id_fails():
    challenge, answer = user_round()
    assert not verify(challenge, answer, user_id="someone-else")


def test_wrong_pool_name_fails():
    challenge, answer = user_round()
    assert not verify(challenge, answer, pool_name="AnotherPool")


def test_verifier_for_another_user_fails():
    # The stored verifier belongs to another user id; the client signs in as USER_ID.
    challenge, answer = user_round(verifier_user_id="other-user")
    assert not verify(challenge, answer)
    assert not verify(challenge, answer, user_id="other-user")


def test_signature_from_another_challenge_fails():
    first, answer = user_round()
    second, _ = user_round()
    assert verify(first, answer)
    assert not verify(second, answer)


@pytest.mark.parametrize("signature", ["", "not base64!", "====", "é", "\ud800", "QUJD"])
def test_malformed_signature_is_false(signature):
    challenge, answer = user_round()
    assert not verify(challenge, answer, signature_b64=signature)


def test_malformed_secret_block_is_false():
    challenge, answer = user_round()
    assert not verify(challenge, answer, secret_block_b64="***")
    with pytest.raises(ValueError):
        challenge.expected_signature(POOL_NAME, USER_ID, "***", answer["TIMESTAMP"])


def test_expected_signature_is_what_the_client_sent():
    challenge, answer = user_round()
    expected = challenge.expected_signature(
        POOL_NAME, USER_ID, answer["PASSWORD_CLAIM_SECRET_BLOCK"], answer["TIMESTAMP"]
    )
    assert base64.b64encode(expected).decode() == answer["PASSWORD_CLAIM_SIGNATURE"]


@settings(max_examples=15, deadline=None)
@given(
    password=st.text(min_size=1, max_size=40).filter(lambda p: "\x00" not in p),
    salt=st.binary(min_size=16, max_size=16).filter(lambda b: b[0] != 0),
)
def test_any_password_and_salt_round_trip(password, salt):
    # Non-ASCII passwords exercise the UTF-8 encoding on both sides.
    verifier = srp.password_verifier(POOL_NAME, USER_ID, password, salt.hex())
    client = pycognito_client(password)
    challenge = srp.start_challenge(client.get_auth_params()["SRP_A"], verifier, os.urandom)
    block = secret_block()
    answer = client.process_challenge(
        {"SALT": salt.hex(), "SRP_B": challenge.srp_b_hex, "SECRET_BLOCK": block,
         "USER_ID_FOR_SRP": USER_ID},
        {"USERNAME": USER_ID},
    )  # fmt: skip
    assert verify(challenge, answer)


@pytest.mark.parametrize("srp_a", ["0", "00", format(srp.N, "x"), format(2 * srp.N, "X")])
def test_a_zero_mod_n_is_rejected(srp_a):
    with pytest.raises(ValueError, match="SRP_A is 0 modulo N"):
        srp.start_challenge(srp_a, 5, os.urandom)


@pytest.mark.parametrize("srp_a", ["", "xyz", "0x1f", "-1f", " 1f", "1_f", "1f\n"])
def test_non_hex_a_is_rejected(srp_a):
    with pytest.raises(ValueError, match="SRP_A is not a hexadecimal number"):
        srp.start_challenge(srp_a, 5, os.urandom)


def test_zero_b_is_redrawn():
    draws = iter([bytes(32), bytes(31) + b"\x07"])
    challenge = srp.start_challenge("2", 0, lambda n: next(draws))
    assert challenge.srp_b == pow(2, 7, srp.N)


def test_seeded_randomness_replays():
    def run() -> str:
        return srp.start_challenge("abc", 12345, Ids(seed=7).token_bytes).srp_b_hex

    assert run() == run()


def test_new_salt_is_32_hex_without_a_zero_first_byte():
    draws = iter([bytes(16), b"\x00" + bytes(15), b"\x01" + bytes(15)])
    assert srp.new_salt(lambda n: next(draws)) == "01" + "00" * 15
    for _ in range(50):
        salt = srp.new_salt(os.urandom)
        assert re.fullmatch(r"[0-9a-f]{32}", salt) and not salt.startswith("00")


# --- device SRP (DEVICE_SRP_AUTH / DEVICE_PASSWORD_VERIFIER) ---------------------------------


def device_round(device_password: str | None = None):
    real_password, config = aws_srp.generate_hash_device(DEVICE_GROUP_KEY, DEVICE_KEY)
    verifier, salt_hex = srp.verifier_from_device_config(config["PasswordVerifier"], config["Salt"])
    client = pycognito_client(
        device_key=DEVICE_KEY,
        device_group_key=DEVICE_GROUP_KEY,
        device_password=device_password or real_password,
    )
    challenge = srp.start_challenge(client.get_auth_params()["SRP_A"], verifier, os.urandom)
    parameters = {
        "SALT": salt_hex,
        "SRP_B": challenge.srp_b_hex,
        "SECRET_BLOCK": secret_block(),
        "USERNAME": USER_ID,
    }
    return challenge, client.process_device_challenge(parameters), real_password, config


def test_device_srp_verifies():
    challenge, answer, _, _ = device_round()
    assert verify(challenge, answer, pool_name=DEVICE_GROUP_KEY, user_id=DEVICE_KEY)


def test_device_srp_wrong_device_password_fails():
    wrong = base64.b64encode(os.urandom(40)).decode()
    challenge, answer, _, _ = device_round(device_password=wrong)
    assert not verify(challenge, answer, pool_name=DEVICE_GROUP_KEY, user_id=DEVICE_KEY)


def test_device_srp_wrong_device_key_fails():
    challenge, answer, _, _ = device_round()
    assert not verify(challenge, answer, pool_name=DEVICE_GROUP_KEY, user_id=DEVICE_KEY + "0")


def test_device_verifier_equals_password_verifier_of_device_password():
    # pycognito's client-side verifier and our server-side formula must be the same number.
    _, _, device_password, config = device_round()
    verifier, salt_hex = srp.verifier_from_device_config(config["PasswordVerifier"], config["Salt"])
    assert verifier == srp.password_verifier(
        DEVICE_GROUP_KEY, DEVICE_KEY, device_password, salt_hex
    )


@pytest.mark.parametrize(
    ("verifier", "salt"), [("***", "AAAA"), ("AAAA", "not base64"), ("", "AAAA"), ("AAAA", "")]
)
def test_malformed_device_config_is_rejected(verifier, salt):
    with pytest.raises(ValueError, match=r"^DeviceSecretVerifierConfig "):
        srp.verifier_from_device_config(verifier, salt)


# --- TIMESTAMP ------------------------------------------------------------------------------

NOV_6 = datetime(2026, 11, 6, 5, 7, 9, tzinfo=timezone.utc).timestamp()


def test_format_does_not_pad_the_day():
    assert srp.format_timestamp(NOV_6) == "Fri Nov 6 05:07:09 UTC 2026"
    assert srp.format_timestamp(NOV_6 + 0.999) == "Fri Nov 6 05:07:09 UTC 2026"
    assert srp.format_timestamp(NOV_6 + 20 * 86400) == "Thu Nov 26 05:07:09 UTC 2026"


@settings(max_examples=200)
@given(st.datetimes(min_value=datetime(1971, 1, 1), max_value=datetime(2999, 12, 31)))
def test_format_matches_pycognito(moment):
    moment = moment.replace(microsecond=0)
    epoch = moment.replace(tzinfo=timezone.utc).timestamp()
    expected = aws_srp.AWSSRP.get_cognito_formatted_timestamp(moment)
    assert srp.format_timestamp(epoch) == expected
    assert srp.parse_timestamp(expected) == epoch
    assert srp.canonical_timestamp_matches(expected)


def test_parse_canonical():
    assert srp.parse_timestamp("Fri Nov 6 05:07:09 UTC 2026") == NOV_6
    assert srp.canonical_timestamp_matches("Fri Nov 6 05:07:09 UTC 2026")


@pytest.mark.parametrize(
    "text",
    [
        "Fri Nov 06 05:07:09 UTC 2026",  # zero-padded day
        "Thu Nov 6 05:07:09 UTC 2026",  # wrong weekday
        "fri nov 6 05:07:09 UTC 2026",  # lower-case names
        "Friday November 6 05:07:09 UTC 2026",  # long names
        "Fri Nov 6 5:07:09 UTC 2026",  # unpadded hour
        "Fri Nov 6 05:07:09 GMT 2026",  # another zone name for the same instant
        "Fri Nov 6 06:07:09 GMT+01:00 2026",  # an offset
        "Mon Nov 36 05:07:09 UTC 2026",  # rolls over into December
    ],
)
def test_parsable_but_not_canonical(text):
    assert srp.parse_timestamp(text) is not None
    assert not srp.canonical_timestamp_matches(text)


def test_lenient_forms_parse_to_the_same_instant():
    assert srp.parse_timestamp("Fri Nov 06 05:07:09 UTC 2026") == NOV_6
    assert srp.parse_timestamp("Thu Nov 6 05:07:09 UTC 2026") == NOV_6
    assert srp.parse_timestamp("Fri Nov 6 06:07:09 GMT+01:00 2026") == NOV_6


@pytest.mark.parametrize(
    "text",
    [
        "",
        "garbage",
        "2026-11-06T05:07:09Z",
        "Fri Nov 6 05:07:09 2026",  # no zone
        "Fri Nov 6 05:07:09 UTC 26",  # two-digit year
        "Fri Nov 6 05:07 UTC 2026",  # no seconds
        "Fre Nov 6 05:07:09 UTC 2026",  # not an English weekday
        "Fri Noe 6 05:07:09 UTC 2026",  # not an English month
        "Fri Nov 6 05:07:09 XYZ 2026",  # unknown zone
        " Fri Nov 6 05:07:09 UTC 2026",
        "Fri Nov 6 05:07:09 UTC 2026\n",
        "Fri Nov ٦ 05:07:09 UTC 2026",  # a non-ASCII digit
        "Fri Nov 6 05:07:09 UTC 0000",
        "Fri Dec 99 99:99:99 UTC 9999",  # rolls past year 9999
    ],
)
def test_unparsable(text):
    assert srp.parse_timestamp(text) is None
    assert not srp.canonical_timestamp_matches(text)


@given(st.text(max_size=60))
def test_parse_never_raises(text):
    parsed = srp.parse_timestamp(text)
    assert parsed is None or isinstance(parsed, float)
