"""Django's Redis cache, keeping one redis-py client per connection pool.

Django's client builds a new ``redis.Redis`` for every cache operation, which cost about 60 µs
each here: a signed-in topic page makes several operations (the shared page, the unread
count, rate limits). A ``redis.Redis`` holds no connection of its own (they are the pool's),
so one per pool serves every thread and request."""

from django.core.cache.backends import redis


class RedisCacheClient(redis.RedisCacheClient):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._clients = {}

    def get_client(self, key=None, *, write=False):
        index = self._get_connection_pool_index(write)
        client = self._clients.get(index)
        if client is None:
            client = self._clients[index] = super().get_client(key, write=write)
        return client


class RedisCache(redis.RedisCache):
    def __init__(self, server, params):
        super().__init__(server, params)
        self._class = RedisCacheClient
