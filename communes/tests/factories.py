import factory

from communes.models import AdministrativeUnit, Department, UnitSuccession


class UnitFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = AdministrativeUnit

    code = factory.Sequence(lambda n: f"{40000 + n}")
    name = factory.Sequence(lambda n: f"Đơn vị {n}")
    kind = AdministrativeUnit.Kind.COMMUNE


class ProvinceFactory(UnitFactory):
    code = factory.Sequence(lambda n: f"P{n}")
    kind = AdministrativeUnit.Kind.PROVINCE


class DistrictFactory(UnitFactory):
    code = factory.Sequence(lambda n: f"D{n}")
    kind = AdministrativeUnit.Kind.DISTRICT
    parent = factory.SubFactory(ProvinceFactory)


class CommuneFactory(UnitFactory):
    kind = AdministrativeUnit.Kind.COMMUNE
    parent = factory.SubFactory(DistrictFactory)


class SuccessionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = UnitSuccession

    successor = factory.SubFactory(CommuneFactory)
    predecessor = factory.SubFactory(CommuneFactory)
    effective_on = factory.Faker("date_object")


class DepartmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Department

    authority = factory.SubFactory(DistrictFactory)
    name = factory.Sequence(lambda n: f"Phòng {n}")
