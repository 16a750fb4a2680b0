from tests.security.fuzz import summary_lines


def pytest_terminal_summary(terminalreporter):
    lines = summary_lines()
    if lines:
        terminalreporter.section("status codes answered to bad input")
        for line in lines:
            terminalreporter.write_line(line)
