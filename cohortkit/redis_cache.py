"""Django's Redis cache, with each redis-py client made once.

Django's `RedisCacheClient` makes a new `redis.Redis` for every cache call; building one
fills its table of some 170 response callbacks, which cost more than the round trip to
Redis itself on a page that reads the cache ten times. The client holds no connection of
its own (it borrows one from the pool for each command, and the pool is shared and
thread-safe), so one client per pool serves every call.
"""

from typing import Any

from django.core.cache.backends import redis as django_redis


class RedisCacheClient(django_redis.RedisCacheClient):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._clients: dict[int, Any] = {}

    def get_client(self, key: Any = None, *, write: bool = False) -> Any:
        # Django's own pool choice and client class (django-stubs does not declare them).
        pool = self._get_connection_pool(write)  # type: ignore[attr-defined]
        client = self._clients.get(id(pool))  # the pools live as long as this object
        if client is None:
            client = self._clients[id(pool)] = self._client(connection_pool=pool)  # type: ignore[attr-defined]
        return client


class RedisCache(django_redis.RedisCache):
    def __init__(self, server: Any, params: dict[str, Any]) -> None:
        super().__init__(server, params)
        self._class = RedisCacheClient
