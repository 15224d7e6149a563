// SPDX-License-Identifier: BSL-1.0
// File: tests/normalise/recognise_test.cpp
//
// Recognition of realistic inventory titles with the shipped Microsoft pack. Each case is a
// row an audit gets wrong when recognition is loose: a non-Microsoft office suite counted as
// Office (licensing-rules X7), an update counted as an install (X5), Windows Server taken for
// Windows client, 2012 R2 judged as 2012, 8.1 as 8, an edition guessed from nothing, or a
// version guessed from a version string that several versions share (ecosystem §0.3).
#include "trueup/normalise/recognise.hpp"

#include <gtest/gtest.h>

#include <string>
#include <string_view>

#include "trueup/io/rule_pack.hpp"

namespace {

using Kind = trueup::Recognition::Kind;

class RecogniseMicrosoft : public testing::Test {
 protected:
  static void SetUpTestSuite() {
    auto r = trueup::io::load_rule_pack("microsoft");
    ASSERT_TRUE(r) << trueup::to_string(r.error().front());
    pack_ = new trueup::RulePack(std::move(*r));
  }
  static void TearDownTestSuite() {
    delete pack_;
    pack_ = nullptr;
  }

  // "product: Office Professional Plus 2016", or the kind and its reason.
  static std::string recognise(std::string_view title, std::string_view publisher = "Microsoft Corporation",
                               std::string_view version = "") {
    if (pack_ == nullptr) return "(no pack)";
    trueup::Recogniser recogniser(*pack_);
    const trueup::Recognition& r = recogniser.recognise(title, publisher, version);
    switch (r.kind) {
      case Kind::product: return "product: " + pack_->product_name(r.product);
      case Kind::component: return "component: " + r.reason;
      case Kind::other_publisher: return "other publisher: " + r.reason;
      case Kind::unrecognised: return "unrecognised: " + r.reason;
      case Kind::needs_review: return "needs review: " + r.reason;
    }
    return "?";
  }

  static trueup::RulePack* pack_;
};

trueup::RulePack* RecogniseMicrosoft::pack_ = nullptr;

// What every needs-review reason of an undecided version or edition ends with.
const std::string decide =
    ": other evidence (the licence channel, the instance's edition) decides, or an overlay pack's alias";

TEST_F(RecogniseMicrosoft, OfficeProfessionalPlus2016) {
  EXPECT_EQ(recognise("Microsoft Office Professional Plus 2016", "Microsoft Corporation", "16.0.4266.1001"),
            "product: Office Professional Plus 2016");
}

TEST_F(RecogniseMicrosoft, OfficeStandard2010WithItsVersionString) {
  EXPECT_EQ(recognise("Microsoft Office Standard 2010", "Microsoft Corporation", "14.0.7015.1000"),
            "product: Office Standard 2010");
}

TEST_F(RecogniseMicrosoft, ProPlus2019IsAProductButBareOffice2019NamesNoEdition) {
  EXPECT_EQ(recognise("Microsoft Office Professional Plus 2019 - en-us", "Microsoft Corporation", "16.0.10730.20102"),
            "product: Office Professional Plus 2019");
  EXPECT_EQ(recognise("Microsoft Office 2019", "Microsoft Corporation", "16.0.10730.20102"),
            "needs review: Office: the title names no known edition" + decide);
}

TEST_F(RecogniseMicrosoft, Office2016WithoutEditionNeedsReview) {
  EXPECT_EQ(recognise("Microsoft Office 2016", "Microsoft Corporation", "16.0.4266.1001"),
            "needs review: Office: the title names no known edition" + decide);
}

TEST_F(RecogniseMicrosoft, SharedVersionString16Point0NamesNoVersion) {
  // Office 2016, 2019, 2021 and 2024 all report 16.0 (ecosystem §0.3) ...
  EXPECT_EQ(recognise("Microsoft Office Professional Plus", "Microsoft Corporation", "16.0.4266.1001"),
            "needs review: Office version string 16.0.4266.1001 is shared by several versions and the title names "
            "none" +
                decide);
  // The same for a Click-to-Run title without a year (2019, 2021, 2024 and Microsoft 365 Apps
  // are all Click-to-Run at 16.0).
  EXPECT_EQ(recognise("Microsoft Office Professional Plus - en-us", "Microsoft Corporation", "16.0.14332.20255"),
            "needs review: Office version string 16.0.14332.20255 is shared by several versions and the title "
            "names none" +
                decide);
  // ... while 14.0 is Office 2010 alone.
  EXPECT_EQ(recognise("Microsoft Office Professional Plus", "Microsoft Corporation", "14.0.7015.1000"),
            "product: Office Professional Plus 2010");
}

TEST_F(RecogniseMicrosoft, Windows10Pro) {
  EXPECT_EQ(recognise("Microsoft Windows 10 Pro", "Microsoft Corporation", "10.0.19045"), "product: Windows 10 Pro");
}

TEST_F(RecogniseMicrosoft, Windows7ProfessionalIsThePro) {
  EXPECT_EQ(recognise("Microsoft Windows 7 Professional"), "product: Windows 7 Pro");
}

TEST_F(RecogniseMicrosoft, WindowsXpProfessional) {
  EXPECT_EQ(recognise("Windows XP Professional"), "product: Windows XP Pro");
}

TEST_F(RecogniseMicrosoft, VistaBusinessCaptionWithTrademarkSigns) {
  EXPECT_EQ(recognise("Microsoft® Windows Vista™ Business", "Microsoft Corporation", "6.0.6002"),
            "product: Windows Vista Pro");
}

TEST_F(RecogniseMicrosoft, Windows81ProIsNot8) {
  EXPECT_EQ(recognise("Microsoft Windows 8.1 Pro"), "product: Windows 8.1 Pro");
}

TEST_F(RecogniseMicrosoft, Server2012R2DatacenterIsNot2012) {
  EXPECT_EQ(recognise("Microsoft Windows Server 2012 R2 Datacenter"), "product: Windows Server 2012 R2 Datacenter");
}

TEST_F(RecogniseMicrosoft, WindowsServerWinsOverWindowsClient) {
  EXPECT_EQ(recognise("Windows Server 2019 Standard", "Microsoft"), "product: Windows Server 2019 Standard");
}

TEST_F(RecogniseMicrosoft, Server2003And2008WmiCaptions) {
  EXPECT_EQ(recognise("Microsoft(R) Windows(R) Server 2003, Standard Edition", "Microsoft Corporation", "5.2.3790"),
            "product: Windows Server 2003 Standard");
  EXPECT_EQ(recognise("Microsoft® Windows Server® 2008 Enterprise ", "Microsoft Corporation", "6.0.6002"),
            "product: Windows Server 2008 Enterprise");
}

TEST_F(RecogniseMicrosoft, LibreOfficeIsAnotherPublishersProduct) {
  EXPECT_EQ(recognise("LibreOffice 7.5.3.2", "The Document Foundation", "7.5.3.2"),
            "other publisher: publisher \"The Document Foundation\" is not licensed by rule pack microsoft");
}

TEST_F(RecogniseMicrosoft, WpsOfficeWithoutPublisherIsNotMicrosoftOffice) {
  EXPECT_EQ(recognise("WPS Office", "", "11.2.0.11537"),
            "other publisher: title matches no product family of rule pack microsoft and names no publisher");
  EXPECT_EQ(recognise("OpenOffice 4.1.14", "", ""),
            "other publisher: title matches no product family of rule pack microsoft and names no publisher");
}

TEST_F(RecogniseMicrosoft, KingsoftOfficeProfessionalIsAnotherPublishersProduct) {
  EXPECT_EQ(recognise("Kingsoft Office Professional 2013", "Kingsoft Corp.", "9.1.0.4060"),
            "other publisher: publisher \"Kingsoft Corp.\" is not licensed by rule pack microsoft");
}

TEST_F(RecogniseMicrosoft, OfficeUpdateIsAComponent) {
  EXPECT_EQ(recognise("Update for Microsoft Office 2016 (KB4484103) 32-Bit Edition"),
            "component: update: licensed with the product it updates");
}

TEST_F(RecogniseMicrosoft, ProofingToolsServicePacksAndRuntimesAreComponents) {
  EXPECT_EQ(recognise("Microsoft Office Proofing Tools 2016 - English"),
            "component: proofing tools: installed with and licensed with Office");
  EXPECT_EQ(recognise("Microsoft Office 2010 Service Pack 1 (SP1)"),
            "component: service pack: licensed with its product");
  EXPECT_EQ(recognise("Microsoft Visual C++ 2015-2022 Redistributable (x64) - 14.36.32532"),
            "component: redistributable runtime: free to install, needs no licence of its own");
  EXPECT_EQ(recognise("Microsoft .NET Framework 4.8"),
            "component: .NET Framework: a component of Windows, licensed with it");
  EXPECT_EQ(recognise("Security Update for Windows XP (KB 2393802)"),
            "component: security update: licensed with the product it updates");
}

TEST_F(RecogniseMicrosoft, OfficeStarter2010IsAProductOfAFreeEdition) {
  EXPECT_EQ(recognise("Microsoft Office Starter 2010 - English"), "product: Office Starter 2010");
}

TEST_F(RecogniseMicrosoft, PublisherAliasesAreAccepted) {
  EXPECT_EQ(recognise("Microsoft Office Home and Student 2016 - en-us", "Microsoft Corporation"),
            "product: Office Home and Student 2016");
  EXPECT_EQ(recognise("Microsoft Office Home and Student 2016 - en-us", "Microsoft"),
            "product: Office Home and Student 2016");
  EXPECT_EQ(recognise("Microsoft Office Home and Student 2016 - en-us", "Microsoft Corp."),
            "product: Office Home and Student 2016");
}

TEST_F(RecogniseMicrosoft, VisioAndProject2007AreNotOfficeProfessional) {
  EXPECT_EQ(recognise("Microsoft Office Visio Professional 2007", "Microsoft Corporation", "12.0.6021.5000"),
            "product: Visio Professional 2007");
  EXPECT_EQ(recognise("Microsoft Office Project Standard 2007", "Microsoft Corporation", "12.0.4518.1014"),
            "product: Project Standard 2007");
}

// Office 365 ProPlus and Office 365 Business are the names of Microsoft 365 Apps for enterprise
// and for business before April 2020: the subscription, never a perpetual Office version.
TEST_F(RecogniseMicrosoft, Office365ProPlusIsMicrosoft365AppsForEnterprise) {
  EXPECT_EQ(recognise("Microsoft Office 365 ProPlus - en-us", "Microsoft Corporation", "16.0.11328.20222"),
            "product: Microsoft 365 Apps for enterprise");
  EXPECT_EQ(recognise("Microsoft Office 365 ProPlus - fr-fr"), "product: Microsoft 365 Apps for enterprise");
  EXPECT_EQ(recognise("Microsoft Office 365 Business - en-us", "Microsoft Corporation", "16.0.11328.20222"),
            "product: Microsoft 365 Apps for business");
}

TEST_F(RecogniseMicrosoft, Microsoft365WithoutAPlanNeedsReview) {
  // "Microsoft 365 - fr-fr" is the Click-to-Run title of several plans (business, enterprise,
  // family): which licence it needs is not in the row.
  EXPECT_EQ(recognise("Microsoft 365 - fr-fr", "Microsoft Corporation", "16.0.17328.20184"),
            "needs review: Microsoft 365 Apps: the title names no known edition" + decide);
}

TEST_F(RecogniseMicrosoft, FrenchAndSpanishOfficeEditions) {
  EXPECT_EQ(recognise("Microsoft Office Professionnel Plus 2016", "Microsoft Corporation", "16.0.4266.1001"),
            "product: Office Professional Plus 2016");
  EXPECT_EQ(recognise("Microsoft Office Professionnel Plus 2019 - fr-fr"), "product: Office Professional Plus 2019");
  EXPECT_EQ(recognise("Microsoft Office Professionnel 2010"), "product: Office Professional 2010");
  EXPECT_EQ(recognise("Microsoft Office Famille et Petite Entreprise 2019 - fr-fr"),
            "product: Office Home and Business 2019");
  EXPECT_EQ(recognise("Microsoft Office Famille et Étudiant 2016 - fr-fr"), "product: Office Home and Student 2016");
  EXPECT_EQ(recognise("Microsoft Office Profesional Plus 2016"), "product: Office Professional Plus 2016");
  EXPECT_EQ(recognise("Microsoft Office Hogar y Empresas 2019 - es-es"), "product: Office Home and Business 2019");
  EXPECT_EQ(recognise("Microsoft Office Hogar y Estudiantes 2021 - es-es"), "product: Office Home and Student 2021");
  // German and Japanese installs keep the English names.
  EXPECT_EQ(recognise("Microsoft Office Home & Business 2019 - de-de"), "product: Office Home and Business 2019");
  EXPECT_EQ(recognise("Microsoft Office Professional Plus 2019 - ja-jp"), "product: Office Professional Plus 2019");
}

TEST_F(RecogniseMicrosoft, FrenchWindowsCaptions) {
  EXPECT_EQ(recognise("Microsoft Windows 10 Professionnel", "", "10.0.19045"), "product: Windows 10 Pro");
  EXPECT_EQ(recognise("Microsoft Windows 10 Famille"), "product: Windows 10 Home");
  EXPECT_EQ(recognise("Microsoft Windows 11 Entreprise"), "product: Windows 11 Enterprise");
  EXPECT_EQ(recognise("Microsoft Windows 11 Éducation"), "product: Windows 11 Education");
  EXPECT_EQ(recognise("Microsoft Windows 10 Professionnel Éducation"), "product: Windows 10 Pro Education");
  EXPECT_EQ(recognise("Microsoft Windows 10 Professionnel pour les Stations de travail"),
            "product: Windows 10 Pro for Workstations");
}

TEST_F(RecogniseMicrosoft, SqlServerTitleWithoutEditionNeedsReview) {
  // The main Add/Remove Programs entry of SQL Server names no edition: the instance's edition
  // (@@VERSION, the registry) decides, or a person; never a guess.
  EXPECT_EQ(recognise("Microsoft SQL Server 2019 (64-bit)", "Microsoft Corporation", "15.0.2000.5"),
            "needs review: SQL Server: the title names no known edition" + decide);
  EXPECT_EQ(recognise("Microsoft SQL Server 2019 Express LocalDB", "Microsoft Corporation", "15.0.2000.5"),
            "product: SQL Server 2019 Express");
}

TEST_F(RecogniseMicrosoft, EvaluationCopiesNeedReviewNotTheirEditionsDemand) {
  // "SQL Server 2019 Enterprise Evaluation Edition" was read as Enterprise and demanded core
  // licences; an evaluation copy in production needs them, one only evaluated needs none, and
  // the inventory cannot tell (the evaluation use rights of the Software License Terms).
  const std::string why =
      "an evaluation copy may only be tested, demonstrated and evaluated, never used in production: if it serves "
      "production it needs a licence of its edition, if not none, and the inventory cannot say which (Software "
      "License Terms, evaluation use rights (quoted by quexcel.com); SQL Server 2022 Developer, Express and "
      "Evaluation licence terms (microsoft.com/en-us/Useterms))";
  EXPECT_EQ(recognise("Microsoft SQL Server 2019 Enterprise Evaluation Edition (64-bit)"),
            "needs review: SQL Server: " + why);
  EXPECT_EQ(recognise("Microsoft Windows Server 2022 Datacenter Evaluation"), "needs review: Windows Server: " + why);
  EXPECT_EQ(recognise("Windows 10 Enterprise Evaluation"), "needs review: Windows: " + why);
  // The same titles without the word are their editions.
  EXPECT_EQ(recognise("Microsoft SQL Server 2019 Enterprise Edition (64-bit)"), "product: SQL Server 2019 Enterprise");
  EXPECT_EQ(recognise("Microsoft Windows Server 2022 Datacenter"), "product: Windows Server 2022 Datacenter");
}

TEST_F(RecogniseMicrosoft, SqlServerInstallerPartsAndFreeToolsAreComponents) {
  EXPECT_EQ(recognise("SQL Server 2019 Database Engine Services", "Microsoft Corporation", "15.0.2000.5"),
            "component: SQL Server part: licensed with its instance");
  EXPECT_EQ(recognise("SQL Server 2019 Database Engine Shared", "Microsoft Corporation", "15.0.2000.5"),
            "component: SQL Server part: licensed with its instance");
  EXPECT_EQ(recognise("Microsoft SQL Server 2019 (64-bit)", "Microsoft Corporation", "15.0.2000.5").substr(0, 13),
            "needs review:");
  EXPECT_EQ(recognise("SQL Server Management Studio - 18.12", "Microsoft Corporation", "15.0.18420.0"),
            "component: SQL Server Management Studio: a free client tool");
  EXPECT_EQ(recognise("Microsoft ODBC Driver 17 for SQL Server", "Microsoft Corporation", "17.10.5.1"),
            "component: ODBC driver: a free client driver");
}

TEST_F(RecogniseMicrosoft, LocalisedUpdatesAreComponents) {
  EXPECT_EQ(recognise("Mise à jour de sécurité pour Microsoft Office 2016 (KB4484103) Édition 64 bits"),
            "component: update: licensed with the product it updates");
  EXPECT_EQ(recognise("Sicherheitsupdate für Microsoft Office 2016 (KB4484103) 64-Bit Edition"),
            "component: security update: licensed with the product it updates");
  EXPECT_EQ(recognise("Actualización de seguridad para Microsoft Office 2016 (KB4484103) edición de 64 bits"),
            "component: update: licensed with the product it updates");
}

TEST_F(RecogniseMicrosoft, LanguagePacksAndMuiAreComponents) {
  EXPECT_EQ(recognise("Microsoft Office MUI (French) 2016"),
            "component: multilingual user interface pack: licensed with its product");
  EXPECT_EQ(recognise("Microsoft Office 2016 Language Pack - French/Français"),
            "component: language pack: licensed with its product");
}

TEST_F(RecogniseMicrosoft, MicrosoftTitlesOfNoFamilyAreUnrecognised) {
  EXPECT_EQ(recognise("Microsoft Teams", "Microsoft Corporation", "1.6.00.4472"),
            "unrecognised: no product family of rule pack microsoft matches this title");
}

TEST_F(RecogniseMicrosoft, ExcludePatternsKeepOtherSuitesOutOfOfficeWithoutAPublisher) {
  // "Office Professional" would match; the family's exclude pattern "Kingsoft" rules it out.
  EXPECT_EQ(recognise("Kingsoft Office Professional 2013", "", "9.1.0.4060"),
            "other publisher: title matches no product family of rule pack microsoft and names no publisher");
}

TEST_F(RecogniseMicrosoft, Microsoft365AppsAreAPerUserSubscriptionNotPerDeviceOffice) {
  // Per-user subscriptions (DT3) carry no perpetual version: never counted as Office 2016.
  EXPECT_EQ(recognise("Microsoft 365 Apps for enterprise - en-us", "Microsoft Corporation", "16.0.17928.20156"),
            "product: Microsoft 365 Apps for enterprise");
}

// A licensable title with a publisher spelling the pack does not know is a decision for a
// person, never a reassuring "other publisher" (issue: "Microsoft Corporation, Inc." excluded
// Office Professional Plus 2019 as another publisher's product).
TEST_F(RecogniseMicrosoft, AVariantPublisherSpellingOfAWholeProductNeedsReview) {
  EXPECT_EQ(recognise("Microsoft Office Professional Plus 2019", "Microsoft Corporation, Inc."),
            "needs review: the title reads as Office Professional Plus 2019, but the publisher \"Microsoft "
            "Corporation, Inc.\" is not a spelling rule pack microsoft knows for its publishers: if it is one of "
            "them, add it as an alias (an overlay pack); if not, the row is another publisher's product");
  // A title that names no whole product stays another publisher's (driver packages and such).
  EXPECT_EQ(recognise("Windows Driver Package - Intel (e1dexpress) Net", "Intel"),
            "other publisher: publisher \"Intel\" is not licensed by rule pack microsoft");
  // An empty publisher with a whole product title is recognised on the title's evidence.
  EXPECT_EQ(recognise("Microsoft Office Professional Plus 2019", ""), "product: Office Professional Plus 2019");
}

// "Windows 10 Pro for Workstations" is an edition of its own, not Windows 10 Pro.
TEST_F(RecogniseMicrosoft, ProForWorkstationsIsNotPro) {
  EXPECT_EQ(recognise("Microsoft Windows 10 Pro for Workstations"), "product: Windows 10 Pro for Workstations");
  EXPECT_EQ(recognise("Microsoft Windows 11 Pro Education"), "product: Windows 11 Pro Education");
  EXPECT_EQ(recognise("Microsoft Windows 10 Pro"), "product: Windows 10 Pro");
}

}  // namespace
