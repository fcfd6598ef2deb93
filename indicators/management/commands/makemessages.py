from django.core.management.commands import makemessages


class Command(makemessages.Command):
    # Messages about bad input are marked N_ (indicators/messages.py) and translated when shown.
    xgettext_options = [*makemessages.Command.xgettext_options, "--keyword=N_"]
