"""Rebuild the search index from the content apps, in primary key batches, with a progress
bar. Each batch is committed with its checkpoint, so ``--resume`` carries on after an
interruption where it stopped."""

import time

from django.core.management.base import BaseCommand
from django.db import transaction

from search.backends import backend
from search.models import RebuildCheckpoint
from search.services import index_append, index_clear
from search.sources import sources


class Command(BaseCommand):
    help = "Rebuild the search index (forum, blog, feedback) in batches."

    def add_arguments(self, parser):
        parser.add_argument("--resume", action="store_true",
                            help="carry on from where an interrupted rebuild stopped")
        parser.add_argument("--batch-size", type=int, default=2000)

    def handle(self, *, resume: bool, batch_size: int, **options):
        if not resume:
            index_clear()
            RebuildCheckpoint.objects.all().delete()
        started = time.perf_counter()
        backend().rebuild_begin()
        for source in sources():
            self._rebuild(source, batch_size=max(batch_size, 1))
        self.stdout.write("indexing...", ending="")
        self.stdout.flush()
        backend().rebuild_end()
        self.stdout.write(f"search index rebuilt in {time.perf_counter() - started:,.1f} s")

    def _rebuild(self, source, *, batch_size: int) -> None:
        checkpoint, _created = RebuildCheckpoint.objects.get_or_create(source=source.SOURCE)
        if checkpoint.done:
            self.stdout.write(f"{source.SOURCE}: already done")
            return
        total, done, stored = source.count(), 0, 0
        started = time.perf_counter()
        for last_pk, read, documents in source.batches(after_pk=checkpoint.last_pk,
                                                       size=batch_size):
            # The batch and its checkpoint commit together: a resumed rebuild neither skips
            # nor doubles documents.
            with transaction.atomic():
                stored += index_append(documents=documents)
                checkpoint.last_pk = last_pk
                checkpoint.save(update_fields=["last_pk"])
            done += read
            self._progress(source.SOURCE, done=done, total=total, started=started)
        checkpoint.done = True
        checkpoint.save(update_fields=["done"])
        self.stdout.write(f"\n{source.SOURCE}: {stored:,} documents in "
                          f"{time.perf_counter() - started:,.1f} s")

    def _progress(self, label: str, *, done: int, total: int, started: float) -> None:
        share = done / total if total else 1
        bar = "#" * int(share * 30)
        rate = done / max(time.perf_counter() - started, 1e-9)
        self.stdout.write(f"\r{label}: [{bar:<30}] {done:,}/{total:,} ({rate:,.0f}/s)",
                          ending="")
        self.stdout.flush()
