"""Small resource classes that exercise the meta layer in tests."""
from sevenbridges.meta.comp_mutable_dict import CompoundMutableDict
from sevenbridges.meta.fields import (
    BasicListField,
    BooleanField,
    CompoundField,
    CompoundListField,
    DateTimeField,
    DictField,
    FloatField,
    HrefField,
    IntegerField,
    StringField,
    UuidField,
)
from sevenbridges.meta.resource import Resource


class Settings(CompoundMutableDict, Resource):
    _name = 'settings'

    def __init__(self, **kwargs):
        super().__init__(**kwargs)

    def __getitem__(self, item):
        return self._live_item(item)


class Metadata(CompoundMutableDict, Resource):
    _name = 'metadata'

    def __init__(self, **kwargs):
        super().__init__(**kwargs)

    def __getitem__(self, item):
        return self._live_item(item)


class Price(Resource):
    amount = FloatField(read_only=True)
    currency = StringField(read_only=True)

    def __str__(self):
        return f'<Price: {self.amount} {self.currency}>'


class Thing(Resource):
    _URL = {'get': '/things/{id}', 'delete': '/things/{id}',
            'query': '/things'}

    href = HrefField(read_only=True)
    id = StringField(read_only=True)
    name = StringField(read_only=False)
    code = StringField(read_only=False, max_length=2)
    size = IntegerField(read_only=True)
    ratio = FloatField(read_only=False)
    flag = BooleanField(read_only=False)
    uuid = UuidField(read_only=False)
    tags = BasicListField(read_only=False)
    few = BasicListField(read_only=False, max_length=2)
    raw = DictField(read_only=False)
    created_on = DateTimeField(read_only=True)
    settings = CompoundField(Settings, read_only=False)
    metadata = CompoundField(Metadata, read_only=False)
    price = CompoundField(Price, read_only=True)
    prices = CompoundListField(Price, read_only=True)
    from_ = StringField(read_only=True, name='from')

    def __str__(self):
        return f'<Thing: id={self.id}>'


class IdOnly(Resource):
    """A resource without href: it is fetched through _URL['get']."""
    _URL = {'get': '/idonly/{id}'}
    id = StringField(read_only=True)
    name = StringField(read_only=False)


class SpecialThing(Thing):
    extra = StringField(read_only=False)
