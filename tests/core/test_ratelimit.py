import time

from core.ratelimit import rate_limit_exceeded


def hit(key="user-1", scope="upload", limit=3, period=60) -> bool:
    return rate_limit_exceeded(scope=scope, key=key, limit=limit, period=period)


def test_actions_within_the_limit_pass_and_the_next_is_refused():
    assert [hit() for _ in range(5)] == [False, False, False, True, True]


def test_keys_are_counted_separately():
    assert [hit(key="a") for _ in range(4)][-1] is True
    assert hit(key="b") is False


def test_scopes_are_counted_separately():
    assert [hit(scope="upload") for _ in range(4)][-1] is True
    assert hit(scope="report") is False


def test_limit_of_one_allows_exactly_one_action():
    assert hit(limit=1) is False
    assert hit(limit=1) is True


def test_window_expires_and_the_count_starts_again():
    assert [hit(limit=1, period=1) for _ in range(2)] == [False, True]
    time.sleep(1.2)
    assert hit(limit=1, period=1) is False
    assert hit(limit=1, period=1) is True
