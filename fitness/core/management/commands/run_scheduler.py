import logging
import signal
import time

from django.core.management.base import BaseCommand, CommandError

from fitness.core.scheduler import Scheduler, get_jobs, run_job

logger = logging.getLogger("fitness.scheduler")


class Command(BaseCommand):
    help = (
        "Run the periodic jobs (Akismet rechecks, spam purge, moderation digest, personal data "
        "retention) on their schedule, until stopped. With --once, run each job once and exit "
        "(for cron); --job picks jobs by name."
    )
    # Quiet under cron: the web process already reports configuration warnings.
    requires_system_checks = []

    def add_arguments(self, parser):
        parser.add_argument("--once", action="store_true", help="Run the jobs once and exit.")
        parser.add_argument(
            "--job",
            action="append",
            dest="names",
            metavar="NAME",
            help="Only this job (repeatable). Names are listed by --list.",
        )
        parser.add_argument(
            "--list", action="store_true", dest="list_jobs", help="List the jobs and exit."
        )

    def handle(self, *args, once=False, names=None, list_jobs=False, **options):
        try:
            jobs = get_jobs(names)
        except KeyError as error:
            raise CommandError(f"Unknown job: {error.args[0]}") from None
        if list_jobs:
            for job in jobs:
                self.stdout.write(f"{job.name:20} every {job.interval:>6} s  {job.function_path}")
            return
        if once:
            failed = [job.name for job in jobs if not run_job(job)]
            if failed:
                raise CommandError(f"Failed: {', '.join(failed)} (see the log above).")
            return
        self.loop(Scheduler(jobs))

    def loop(self, scheduler):
        stopping = []

        def stop(signum, frame):
            logger.info("scheduler stopping (signal %s)", signum)
            stopping.append(signum)

        signal.signal(signal.SIGTERM, stop)
        signal.signal(signal.SIGINT, stop)
        names = ", ".join(job.name for job in scheduler.jobs)
        logger.info("scheduler started: %s", names)
        while not stopping:
            scheduler.run_pending()
            # Sleep in short steps so a stop signal is honoured within a second.
            deadline = time.monotonic() + scheduler.seconds_until_next()
            while not stopping and time.monotonic() < deadline:
                time.sleep(min(1.0, max(deadline - time.monotonic(), 0)))
        logger.info("scheduler stopped")
