from bot.core.commands import MAX_TEXT_LENGTH, parse


def test_empty_text_gives_help_without_notice() -> None:
    assert parse("   ").name == "help"
    assert parse("/maatwerk").notice == ""


def test_subcommand_and_text_are_split() -> None:
    command = parse("/maatwerk signaal  Mevrouw heeft schulden ")
    assert (command.name, command.text) == ("signaal", "Mevrouw heeft schulden")


def test_subcommand_is_case_insensitive_and_aliases_work() -> None:
    assert parse("SIGNAAL x").name == "signaal"
    assert parse("kaarten").name == "kaart"
    assert parse("hulp").name == "help"


def test_unknown_subcommand_gives_help_with_dutch_notice() -> None:
    command = parse("toverspreuk abracadabra")
    assert command.name == "help"
    assert "`toverspreuk` ken ik niet" in command.notice


def test_subcommand_that_needs_text_without_text_explains_in_dutch() -> None:
    command = parse("signaal")
    assert command.name == "help"
    assert "Beschrijf de situatie" in command.notice


def test_text_over_the_limit_is_refused_before_parsing() -> None:
    command = parse("signaal " + "a" * MAX_TEXT_LENGTH)
    assert command.name == "te-lang"
    assert str(MAX_TEXT_LENGTH) in command.notice


def test_text_at_the_limit_is_accepted() -> None:
    text = "signaal " + "a" * (MAX_TEXT_LENGTH - len("signaal "))
    assert parse(text).name == "signaal"
