"""The id checker that the URL-table test runs on every page it fetches, as each kind of person
(``test_url_table.py``): no two elements share an id, and every label points at a form control."""

from .html_ids import id_problems


def test_the_checker_finds_what_it_should():
    assert id_problems('<input id="a"><input id="a">') == ["id 'a' used 2 times"]
    assert id_problems('<label for="b">B</label>') == ["label for 'b': no such element"]
    assert id_problems('<label for="c">C</label><div id="c"></div>') == ["label for 'c' points at a <div>"]
    assert id_problems('<label for="d">D</label><select id="d"></select>') == []
