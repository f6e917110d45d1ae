package dev.superfactory.report.result;

import static dev.superfactory.report.result.Window.fraction;
import static dev.superfactory.report.result.Window.round;

import dev.superfactory.econ.Economics;
import java.util.List;

/** Builds {@code economics} from the run's {@link Economics.Result}. Cost: O(sites + quarters). */
final class EconomicsResults {
  private EconomicsResults() {}

  static EconomicsSummary from(Economics.Result e) {
    List<EconomicsSummary.Site> sites = e.sites().stream().map(EconomicsResults::site).toList();
    List<EconomicsSummary.Quarter> quarters = e.quarters().stream().map(EconomicsResults::quarter).toList();
    return new EconomicsSummary(round(e.capexUsd(), 0), round(e.revenueUsd(), 2),
        round(e.revenueLostToFailuresUsd(), 2), round(e.costUsd(), 2),
        round(e.depreciationUsd(), 2), round(e.powerUsd(), 2), round(e.opexUsd(), 2), round(e.marginUsd(), 2),
        round(e.energyMwh(), 3), fraction(e.utilization()), fraction(e.breakEvenUtilization()),
        round(e.paybackYears(), 3), sites, quarters);
  }

  private static EconomicsSummary.Site site(Economics.SiteMoney s) {
    return new EconomicsSummary.Site(s.site(), round(s.capexUsd(), 0), round(s.revenueUsd(), 2),
        round(s.depreciationUsd(), 2), round(s.powerUsd(), 2), round(s.opexUsd(), 2), round(s.energyMwh(), 3),
        round(s.marginUsd(), 2));
  }

  private static EconomicsSummary.Quarter quarter(Economics.Quarter q) {
    return new EconomicsSummary.Quarter(q.index() + 1, round(q.days(), 3), round(q.revenueUsd(), 2),
        round(q.costUsd(), 2), round(q.powerUsd(), 2), round(q.marginUsd(), 2));
  }
}
