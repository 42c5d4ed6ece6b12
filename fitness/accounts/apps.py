from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "fitness.accounts"
    label = "accounts"
    verbose_name = "Accounts"

    def ready(self):
        from fitness.accounts import signal_handlers

        # A writer whose articles show their username is asked for a name when they log in.
        signal_handlers.register()
