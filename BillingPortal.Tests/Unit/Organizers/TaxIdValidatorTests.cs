using BillingPortal.Core.Organizers;

namespace BillingPortal.Tests.Unit.Organizers;

/// <summary>
/// RUC: 11 digits, prefix 10/15/16/17/20, modulo-11 check digit with weights 5,4,3,2,7,6,5,4,3,2 over the first ten
/// (check = 11 − Σ mod 11; 10 → 0, 11 → 1). DNI: 8 digits.
/// </summary>
public sealed class TaxIdValidatorTests
{
    [Theory]
    // 2010004721|8: 2·5 + 0·4 + 1·3 + 0·2 + 0·7 + 0·6 + 4·5 + 7·4 + 2·3 + 1·2 = 10+0+3+0+0+0+20+28+6+2 = 69;
    //               69 mod 11 = 3; 11 − 3 = 8 → check digit 8.
    [InlineData("2010004721", 8)]
    // 2013131295|5: 10+0+3+6+7+18+5+8+27+10 = 94; 94 mod 11 = 6; 11 − 6 = 5.
    [InlineData("2013131295", 5)]
    // 1046779354|9 (a person: 10 + DNI 46779354):
    //   1·5 + 0·4 + 4·3 + 6·2 + 7·7 + 7·6 + 9·5 + 3·4 + 5·3 + 4·2 = 5+0+12+12+49+42+45+12+15+8 = 200; 200 mod 11 = 2; 11 − 2 = 9.
    [InlineData("1046779354", 9)]
    // 2010000005|0: 10+0+3+0+0+0+0+0+0+10 = 23; 23 mod 11 = 1; 11 − 1 = 10 → 0.
    [InlineData("2010000005", 0)]
    // 2010000013|1: 10+0+3+0+0+0+0+0+3+6 = 22; 22 mod 11 = 0; 11 − 0 = 11 → 1.
    [InlineData("2010000013", 1)]
    // 1512345678|2: 5+20+3+4+21+24+25+24+21+16 = 163; 163 mod 11 = 9; 11 − 9 = 2.
    [InlineData("1512345678", 2)]
    // 1712345678|5: 5+28+3+4+21+24+25+24+21+16 = 171; 171 mod 11 = 6; 11 − 6 = 5.
    [InlineData("1712345678", 5)]
    // 1600000000|4: 1·5 + 6·4 = 29; 29 mod 11 = 7; 11 − 7 = 4.
    [InlineData("1600000000", 4)]
    public void RucCheckDigit_FirstTen_MatchesHandComputation(string firstTen, int expected) =>
        Assert.Equal(expected, TaxIdValidator.RucCheckDigit(firstTen));

    [Theory]
    [InlineData("20100047218")]
    [InlineData("20131312955")]
    [InlineData("10467793549")]
    [InlineData("20100000050")]
    [InlineData("20100000131")]
    [InlineData("15123456782")]
    [InlineData("16000000004")]
    [InlineData("17123456785")]
    public void ValidateRuc_Valid_Null(string ruc)
    {
        Assert.Null(TaxIdValidator.ValidateRuc(ruc));
        Assert.Null(TaxIdValidator.Validate(TaxIdKind.Ruc, ruc));
    }

    [Theory]
    [InlineData("20100047217", "dígito verificador")] // check digit should be 8
    [InlineData("20100047219", "dígito verificador")]
    [InlineData("30100047218", "empezar con")]        // prefix 30 is not a RUC
    [InlineData("11100047218", "empezar con")]
    [InlineData("2010004721", "11 dígitos")]          // 10 digits
    [InlineData("201000472180", "11 dígitos")]        // 12 digits
    [InlineData("2010004721A", "11 dígitos")]
    [InlineData(" 20100047218", "11 dígitos")]
    [InlineData("2010004721８", "11 dígitos")]         // a full-width digit is not an ASCII digit
    [InlineData("", "11 dígitos")]
    [InlineData(null, "11 dígitos")]
    public void ValidateRuc_Invalid_NamesTheRule(string? ruc, string rule)
    {
        var error = TaxIdValidator.ValidateRuc(ruc);

        Assert.NotNull(error);
        Assert.Contains(rule, error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("12345678", true)]
    [InlineData("00000001", true)]
    [InlineData("1234567", false)]
    [InlineData("123456789", false)]
    [InlineData("1234567a", false)]
    [InlineData("1234 678", false)]
    [InlineData("", false)]
    [InlineData(null, false)]
    public void ValidateDni_EightDigits(string? dni, bool valid)
    {
        Assert.Equal(valid, TaxIdValidator.ValidateDni(dni) is null);
        Assert.Equal(valid, TaxIdValidator.Validate(TaxIdKind.Dni, dni) is null);
    }

    [Fact]
    public void Validate_RucAsDni_Rejected() => Assert.NotNull(TaxIdValidator.Validate(TaxIdKind.Dni, "20100047218"));

    [Fact]
    public void RucCheckDigit_OrganizerBuilderRucs_AreValid()
    {
        for (var n = 0; n < 200; n++) Assert.Null(TaxIdValidator.ValidateRuc(Builders.OrganizerBuilder.ValidRuc(n)));
    }
}
