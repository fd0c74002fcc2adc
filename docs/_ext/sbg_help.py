"""``.. sbg-help:: tasks run``: the ``--help`` text of an ``sbg`` command,
rendered by click when the docs are built, so the page never drifts from
the command."""
import click
from docutils import nodes
from sphinx.util.docutils import SphinxDirective

from sevenbridges.cli.app import cli


def help_text(words):
    """The help of ``sbg WORDS...`` as the terminal shows it."""
    command, path = cli, ['sbg']
    context = click.Context(cli, info_name='sbg', terminal_width=88,
                            max_content_width=88,
                            help_option_names=['-h', '--help'])
    for word in words:
        command = command.get_command(context, word)
        if command is None:
            raise ValueError(f'sbg has no command {" ".join(words)!r}')
        path.append(word)
        context = click.Context(command, info_name=word, parent=context,
                                terminal_width=88, max_content_width=88,
                                help_option_names=['-h', '--help'])
    return command.get_help(context)


class SbgHelp(SphinxDirective):
    optional_arguments = 8
    has_content = False

    def run(self):
        text = help_text(self.arguments)
        block = nodes.literal_block(text, text)
        block['language'] = 'text'
        return [block]


def setup(app):
    app.add_directive('sbg-help', SbgHelp)
    return {'parallel_read_safe': True, 'parallel_write_safe': True}
