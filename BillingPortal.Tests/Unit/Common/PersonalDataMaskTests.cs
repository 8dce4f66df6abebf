using BillingPortal.Core.Common;
using BillingPortal.Core.Organizers;
using BillingPortal.Core.Statements;

namespace BillingPortal.Tests.Unit.Common;

public sealed class PersonalDataMaskTests
{
    [Theory]
    [InlineData("lucia.quispe@example.com", "l***@example.com")]
    [InlineData("  Mateo@correo.pe ", "M***@correo.pe")]
    [InlineData("a@b.c", "a***@b.c")]
    [InlineData("no-at-sign", "***")]
    [InlineData("@example.com", "***")]
    [InlineData("user@", "***")]
    [InlineData(null, null)]
    [InlineData("", "")]
    public void Email_KeepsTheFirstLetterAndTheDomainOnly(string? email, string? expected) =>
        Assert.Equal(expected, PersonalDataMask.Email(email));

    [Theory]
    [InlineData("45871234", "*****234")]
    [InlineData("20100070970", "********970")]
    [InlineData("123", "***")]
    [InlineData("12", "**")]
    [InlineData(null, null)]
    public void Document_KeepsTheLastThreeCharacters(string? document, string? expected) =>
        Assert.Equal(expected, PersonalDataMask.Document(document));

    [Fact]
    public void PlatformIdentity_DefaultRuc_IsAValidRuc() =>
        Assert.Null(TaxIdValidator.ValidateRuc(new PlatformIdentityOptions().TaxId));
}
