"""Known Jinja sandbox escape attempts: none may reach Python internals.

Figures cited in authored prose are evaluated in generator/document/prose.py's
ProseEnvironment (``prose_env`` below), an immutable sandbox with no globals,
filters or tests. Every attempt must fail there, when compiled or when run, and
in a plain immutable sandbox too. tests/test_prose.py runs this list through the
check that refuses an expression before anything is evaluated.
"""

from __future__ import annotations

import jinja2
import pytest
from jinja2.exceptions import SecurityError, TemplateSyntaxError, UndefinedError
from jinja2.sandbox import ImmutableSandboxedEnvironment

from generator.document.prose import ProseEnvironment


def prose_env() -> jinja2.Environment:
    """The environment the prose expressions are evaluated in (generator/document/prose.py)."""
    return ProseEnvironment()


def immutable_env() -> jinja2.Environment:
    """A plain immutable sandbox: a second line of defence the list must also hold against."""
    return ImmutableSandboxedEnvironment(undefined=jinja2.StrictUndefined, autoescape=False)


ESCAPES = [
    "{{ ''.__class__ }}",
    "{{ ''.__class__.__mro__[1].__subclasses__() }}",
    "{{ ().__class__.__bases__[0].__subclasses__() }}",
    "{% for c in [].__class__.__base__.__subclasses__() %}{{ c }}{% endfor %}",
    "{{ ''|attr('__class__') }}",
    "{{ (''|attr('__class__')|attr('__mro__'))[1] }}",
    "{{ self.__init__.__globals__ }}",
    "{{ self._TemplateReference__context }}",
    "{{ cycler.__init__.__globals__.os.popen('id').read() }}",
    "{{ joiner.__init__.__globals__.os }}",
    "{{ namespace.__init__.__globals__.os }}",
    "{{ lipsum.__globals__['os'].popen('id').read() }}",
    "{{ lipsum|attr('__globals__') }}",
    "{{ range.__self__ }}",
    "{{ config.items() }}",
    "{{ request.application.__globals__.__builtins__ }}",
    "{{ '{0.__class__.__mro__}'.format(1) }}",
    "{{ '{0.__globals__}'.format(lipsum) }}",
    "{{ '{x.__class__}'.format_map({'x': 1}) }}",
    "{{ pub.__class__.__init__.__globals__ }}",
    "{{ pub.department.__dict__ }}",
    "{{ pub.__reduce_ex__(2) }}",
    "{{ pub.department.units.append(1) }}",
    "{{ {}.update(a=1) }}",
    "{{ [].pop() }}",
    "{{ pub.department.name.__class__.__base__.__subclasses__() }}",
    "{{ (1).__class__.__mro__[-1].__subclasses__() }}",
    "{{ pub.department.__class__.__subclasses__() }}",
    "{{ __builtins__ }}",
    "{{ __import__('os').system('id') }}",
]


@pytest.mark.parametrize("source", ESCAPES)
def test_sandbox_escape_attempt_fails(source, pub304):
    # the prose environment: rejected when compiled (no filters, globals or tests) or when run
    with pytest.raises((SecurityError, UndefinedError, TemplateSyntaxError)):
        prose_env().from_string(source).render(pub=pub304)
    with pytest.raises((SecurityError, UndefinedError)):
        immutable_env().from_string(source).render(pub=pub304)


def test_the_sandbox_still_reads_plain_figures(pub304):
    assert prose_env().from_string("{{ pub.department.year }}").render(pub=pub304) == "2023"
