"""Names taken out of free text, as the session summary's quotes need."""

from __future__ import annotations

from amie_desktop.domain.text import NameRemover, remove_names


def test_remove_names_handles_case_accents_and_parts() -> None:
    names = ["Zoë Ó Briain", "Łukasz Wiśniewski"]
    assert remove_names("zoe and LUKASZ met Briain", names) == "[name] and [name] met [name]"
    assert remove_names("Zoë Ó Briain came", names) == "[name] came"
    assert remove_names("Zoetrope stays", names) == "Zoetrope stays"


def test_a_remover_built_once_serves_every_quote() -> None:
    remove = NameRemover(["Siobhán O'Neill"])
    assert remove("siobhan said so") == "[name] said so"
    assert remove("SIOBHÁN O'NEILL agreed, Neill too") == "[name] agreed, [name] too"
    assert remove("Nobody named") == "Nobody named"
    assert NameRemover([])("Siobhán stays") == "Siobhán stays"
