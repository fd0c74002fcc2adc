"""Field types: validation, conversion, read-only fields."""
from datetime import date, datetime

import pytest

from sevenbridges.errors import ReadOnlyPropertyError, ValidationError
from sevenbridges.meta.fields import DictField, Field, parse_datetime
from tests.unit.sample_models import Price, Thing

UUID = '2fd4c9fb-9a57-4e8c-8b41-0d5b2a7c1e11'


def test_field_names_come_from_attributes_or_json_keys():
    assert Thing.name.name == 'name'
    assert Thing.from_.name == 'from'
    assert set(Thing._fields) >= {'id', 'name', 'from', 'settings'}
    assert Thing(**{'from': 'x'}).from_ == 'x'
    assert Field.EMPTY is not None


def test_read_only_fields_refuse_assignment():
    thing = Thing(id='1', size=3)
    with pytest.raises(ReadOnlyPropertyError) as info:
        thing.id = '2'
    assert info.value.message == 'Property id is marked as read only!'
    with pytest.raises(ReadOnlyPropertyError):
        thing.size = 4
    assert thing.id == '1' and thing._dirty == {}


@pytest.mark.parametrize('attribute,value,message', [
    ('name', 5, '5 is not a valid value for StringField'),
    ('code', 'abc', 'code: max length exceeded.'),
    ('flag', 'yes', 'yes is not a valid value for BooleanField'),
    ('uuid', 'not-a-uuid', 'not-a-uuid is not a valid value for UuidField'),
    ('uuid', 12, '12 is not a valid value for UuidField'),
    ('ratio', 'abc', 'abc is not a valid value for FloatField'),
    ('tags', 'abc', 'Validation failed, not a list.'),
    ('few', [1, 2, 3], 'Exceeded 2 allowed elements.'),
])
def test_invalid_assignments(attribute, value, message):
    thing = Thing(id='1')
    with pytest.raises(ValidationError) as info:
        setattr(thing, attribute, value)
    assert info.value.message == message
    assert thing._dirty == {}


def test_invalid_values_are_refused_at_construction():
    with pytest.raises(ValidationError):
        Thing(size='big')
    with pytest.raises(ValidationError):
        Thing(uuid='nope')


def test_valid_assignments_and_conversions():
    thing = Thing(id='1')
    thing.name = 'n'
    thing.code = 'ab'
    thing.flag = True
    thing.uuid = UUID
    thing.ratio = '1.5'
    thing.tags = ['a']
    assert (thing.name, thing.code, thing.flag, thing.uuid, thing.ratio,
            thing.tags) == ('n', 'ab', True, UUID, 1.5, ['a'])
    assert Thing(ratio=2).ratio == 2.0 and isinstance(Thing(ratio=2).ratio,
                                                      float)
    # Falsy values pass the type checks.
    thing.name = ''
    thing.flag = False
    assert Thing(size=0).size == 0


def test_null_from_the_server_is_accepted_everywhere():
    thing = Thing(id='1', uuid=None, ratio=None, code=None, few=None,
                  size=None)
    assert (thing.uuid, thing.ratio, thing.code, thing.few) == \
        (None, None, None, None)
    assert Price(amount=None).amount is None


def test_integer_field_accepts_bool():
    assert Thing(size=True).size is True


def test_datetime_field_reads_many_formats():
    assert Thing(created_on='2017-01-10T14:04:23.12Z').created_on == \
        datetime(2017, 1, 10, 14, 4, 23, 120000)
    assert Thing(created_on='2017-01-10T14:04:23Z').created_on == \
        datetime(2017, 1, 10, 14, 4, 23)
    assert Thing(created_on='2017-01-10T14:04:23').created_on == \
        datetime(2017, 1, 10, 14, 4, 23)
    assert Thing(created_on='2017-01-10T16:04:23+02:00').created_on == \
        datetime(2017, 1, 10, 14, 4, 23)
    assert Thing(created_on='2017-01-10').created_on == datetime(2017, 1, 10)
    assert Thing(created_on=1484057063).created_on == \
        datetime(2017, 1, 10, 14, 4, 23)
    assert Thing(created_on=None).created_on is None
    assert Thing(created_on='').created_on is None


def test_parse_datetime_edge_cases():
    assert parse_datetime(datetime(2020, 1, 1)) == datetime(2020, 1, 1)
    assert parse_datetime('2017-01-10T14:04:23.1234567Z') == \
        datetime(2017, 1, 10, 14, 4, 23, 123456)
    with pytest.raises(ValidationError):
        parse_datetime('yesterday')
    with pytest.raises(ValidationError):
        parse_datetime(date(2020, 1, 1))
    with pytest.raises(ValidationError):
        parse_datetime(True)


def test_compound_fields_build_new_objects_on_each_read():
    thing = Thing(price={'amount': '3', 'currency': 'USD', 'unknown': 1},
                  prices=[{'amount': 1}, {'amount': 2}])
    assert isinstance(thing.price, Price)
    assert thing.price.amount == 3.0
    assert thing.price is not thing.price
    assert [p.amount for p in thing.prices] == [1.0, 2.0]
    assert Thing().prices == []
    assert Thing(price=None).price is None


def test_dict_field_descriptor_identity():
    field = DictField(read_only=True)
    other = DictField(read_only=True)
    assert field != other and field == field
    assert len({field, other}) == 2
