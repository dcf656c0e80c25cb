"""Scrapy's downloader with per-host concurrency that holds, and host pauses for Retry-After.

Scrapy 2.19 starts each download of a slot as an asyncio task and counts it as
transferring only when the task runs; with no download delay one pass over the slot's
queue therefore starts every queued request (30 in flight to a host whose source says
``concurrency = 2``). Here a request counts as transferring from the moment it leaves
the queue.
"""

from __future__ import annotations

from time import monotonic

from scrapy.core.downloader import Downloader, Slot
from scrapy.utils.asyncio import call_later
from scrapy.utils.defer import _schedule_coro


class PoliteDownloader(Downloader):
    def _process_queue(self, slot: Slot) -> None:
        if slot.latercall:
            return  # paused by a delay or a Retry-After
        now = monotonic()
        delay = slot.download_delay()
        if delay:
            penalty = delay - now + slot.lastseen
            if penalty > 0:
                slot.latercall = call_later(penalty, self._latercall, slot)
                return
        while slot.queue and slot.free_transfer_slots() > 0:
            slot.lastseen = now
            request, queue_dfd = slot.queue.popleft()
            slot.transferring.add(request)  # counted now, not when the task first runs
            _schedule_coro(self._wait_for_download(slot, request, queue_dfd))
            if delay:
                self._process_queue(slot)
                break

    def pause(self, key: str, seconds: float) -> None:
        """Send nothing more to this slot (host) for `seconds`; queued requests wait."""
        _, slot = self._get_slot_by_key(key)
        if slot.latercall:
            slot.latercall.cancel()
        slot.lastseen = monotonic() + seconds  # also keeps the slot from being collected meanwhile
        slot.latercall = call_later(seconds, self._latercall, slot)

    def _get_slot_by_key(self, key: str) -> tuple[str, Slot]:
        if key not in self.slots:
            settings = self.per_slot_settings.get(key, {})
            self.slots[key] = Slot(settings.get("concurrency", self.domain_concurrency),
                                   settings.get("delay", self._delay), settings.get("jitter", self._jitter))
            self._start_slot_gc()
        return key, self.slots[key]
