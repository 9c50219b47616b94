from django.core.management.base import BaseCommand

from feedback.selectors import team_queue_names


class Command(BaseCommand):
    help = "Print the product teams' Celery queues, comma-separated, for a worker's -Q."

    def handle(self, *args, **options):
        self.stdout.write(",".join(team_queue_names()))
