"""Live messages to an event's viewers (pins, unpins, the event's status).

`publish` sends a message to every subscriber of the event, in every server process: with
REDIS_URL through Redis pub/sub, where each ASGI process holds one Redis subscription per event
and fans it out to its connections' local queues; without Redis (`make run`) within the one
process. Call it after the commit (`transaction.on_commit`) so nobody hears of a pin that was
rolled back."""

import asyncio
import json
import queue
import threading
from collections import defaultdict
from collections.abc import AsyncIterator, Callable, Iterator
from contextlib import asynccontextmanager, contextmanager
from functools import cache

import redis
import redis.asyncio as aioredis
from django.conf import settings

CHANNEL_PREFIX = "ocop:live:"
# Seconds a connection waits for Redis to confirm its subscription before it fails (and the
# browser reconnects).
SUBSCRIBE_TIMEOUT = 10


def channel_name(event_id: int) -> str:
    return f"{CHANNEL_PREFIX}{event_id}"


@cache
def _redis(url: str) -> redis.Redis:
    return redis.Redis.from_url(url)


def publish(event_id: int, message: dict) -> None:
    if settings.REDIS_URL:
        _redis(settings.REDIS_URL).publish(channel_name(event_id), json.dumps(message))
    else:
        _local.deliver(event_id, message)


class _LocalFanOut:
    """This process's subscribers of each event; thread-safe, as publishers run in any thread."""

    def __init__(self):
        self._lock = threading.Lock()
        self._subscribers: dict[int, set[Callable[[dict], None]]] = defaultdict(set)

    def add(self, event_id: int, deliver: Callable[[dict], None]) -> None:
        with self._lock:
            self._subscribers[event_id].add(deliver)

    def discard(self, event_id: int, deliver: Callable[[dict], None]) -> bool:
        """Remove a subscriber; True when it was the event's last one here."""
        with self._lock:
            subscribers = self._subscribers.get(event_id)
            if subscribers is None:
                return True
            subscribers.discard(deliver)
            if subscribers:
                return False
            del self._subscribers[event_id]
            return True

    def deliver(self, event_id: int, message: dict) -> None:
        with self._lock:
            subscribers = list(self._subscribers.get(event_id, ()))
        for deliver in subscribers:
            deliver(message)


_local = _LocalFanOut()


class _RedisRelays:
    """One Redis subscription per event in this process (and event loop), feeding `_local`."""

    def __init__(self):
        self._relays: dict[tuple[int, int], tuple[asyncio.Task, asyncio.Event]] = {}

    async def ensure(self, event_id: int) -> None:
        """Start the event's relay unless it runs; return once Redis confirmed the subscription,
        so no message published after this returns is missed."""
        key = (id(asyncio.get_running_loop()), event_id)
        relay = self._relays.get(key)
        if relay is None or relay[0].done():
            subscribed = asyncio.Event()
            relay = (asyncio.create_task(self._relay(event_id, subscribed)), subscribed)
            self._relays[key] = relay
        await asyncio.wait_for(relay[1].wait(), SUBSCRIBE_TIMEOUT)

    def stop(self, event_id: int) -> None:
        relay = self._relays.pop((id(asyncio.get_running_loop()), event_id), None)
        if relay is not None:
            relay[0].cancel()

    @staticmethod
    async def _relay(event_id: int, subscribed: asyncio.Event) -> None:
        client = aioredis.Redis.from_url(settings.REDIS_URL)
        pubsub = client.pubsub(ignore_subscribe_messages=True)
        try:
            await pubsub.subscribe(channel_name(event_id))
            subscribed.set()
            async for item in pubsub.listen():
                _local.deliver(event_id, json.loads(item["data"]))
        finally:
            await pubsub.aclose()
            await client.aclose()


_relays = _RedisRelays()


@asynccontextmanager
async def subscribe(event_id: int) -> AsyncIterator[asyncio.Queue]:
    """A queue of the event's messages for one connection of an ASGI server."""
    loop = asyncio.get_running_loop()
    messages: asyncio.Queue = asyncio.Queue()

    def deliver(message: dict) -> None:
        loop.call_soon_threadsafe(messages.put_nowait, message)

    _local.add(event_id, deliver)
    try:
        if settings.REDIS_URL:
            await _relays.ensure(event_id)
        yield messages
    finally:
        if _local.discard(event_id, deliver) and settings.REDIS_URL:
            _relays.stop(event_id)


@contextmanager
def subscribe_sync(event_id: int) -> Iterator[Callable[[float], dict | None]]:
    """For a WSGI server (`runserver`): a function waiting up to `timeout` seconds for the
    event's next message (None when none came)."""
    if settings.REDIS_URL:
        pubsub = _redis(settings.REDIS_URL).pubsub(ignore_subscribe_messages=True)
        pubsub.subscribe(channel_name(event_id))

        def next_from_redis(timeout: float) -> dict | None:
            item = pubsub.get_message(timeout=timeout)
            return json.loads(item["data"]) if item else None

        try:
            yield next_from_redis
        finally:
            pubsub.close()
        return
    messages: queue.Queue = queue.Queue()
    _local.add(event_id, messages.put_nowait)

    def next_local(timeout: float) -> dict | None:
        try:
            return messages.get(timeout=timeout)
        except queue.Empty:
            return None

    try:
        yield next_local
    finally:
        _local.discard(event_id, messages.put_nowait)
