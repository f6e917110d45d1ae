package dev.superfactory;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.Architectures.layeredArchitecture;

import dev.superfactory.fleet.FleetState;
import dev.superfactory.fleet.PlacementPlan;
import dev.superfactory.fleet.Allocation;

import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;

/**
 * Dependencies flow one way (STYLE.md): report → sim → scenario → sched, perf, reliability, econ →
 * workload → fleet → input, random. {@code sched} and {@code perf} never see the simulation, so the same
 * scheduler runs in the live service. Only the scheduler kernel changes the fleet state.
 */
@AnalyzeClasses(packages = "dev.superfactory", importOptions = ImportOption.DoNotIncludeTests.class)
class ArchitectureTest {
  @ArchTest
  static final ArchRule layers = layeredArchitecture()
      .consideringOnlyDependenciesInLayers()
      .optionalLayer("report").definedBy("dev.superfactory.report..")
      .optionalLayer("sim").definedBy("dev.superfactory.sim..")
      .optionalLayer("forecast").definedBy("dev.superfactory.forecast..")
      .optionalLayer("metrics").definedBy("dev.superfactory.metrics..")
      .optionalLayer("scenario").definedBy("dev.superfactory.scenario..")
      .optionalLayer("sched").definedBy("dev.superfactory.sched..")
      .optionalLayer("perf").definedBy("dev.superfactory.perf..")
      .optionalLayer("reliability").definedBy("dev.superfactory.reliability..")
      .optionalLayer("econ").definedBy("dev.superfactory.econ..")
      .optionalLayer("workload").definedBy("dev.superfactory.workload..")
      .optionalLayer("fleet").definedBy("dev.superfactory.fleet..")
      .layer("input").definedBy("dev.superfactory.input..", "dev.superfactory.random..")
      .whereLayer("report").mayNotBeAccessedByAnyLayer()
      .whereLayer("sim").mayOnlyBeAccessedByLayers("report")
      .whereLayer("forecast").mayOnlyBeAccessedByLayers("report")
      .whereLayer("metrics").mayOnlyBeAccessedByLayers("report", "sim")
      .whereLayer("scenario").mayOnlyBeAccessedByLayers("report", "sim")
      .whereLayer("sched").mayOnlyBeAccessedByLayers("report", "sim", "scenario", "forecast")
      .whereLayer("perf").mayOnlyBeAccessedByLayers("report", "sim", "scenario", "sched", "reliability", "econ",
          "forecast")
      .whereLayer("reliability").mayOnlyBeAccessedByLayers("report", "sim", "scenario", "sched", "econ", "forecast")
      .whereLayer("econ").mayOnlyBeAccessedByLayers("report", "sim", "scenario")
      .whereLayer("workload").mayOnlyBeAccessedByLayers(
          "report", "sim", "metrics", "scenario", "sched", "perf", "reliability", "econ", "forecast")
      .whereLayer("fleet").mayOnlyBeAccessedByLayers(
          "report", "sim", "metrics", "scenario", "sched", "perf", "reliability", "econ", "workload", "forecast");

  @ArchTest
  static final ArchRule onlyTheKernelChangesTheFleetState = noClasses()
      .that().resideOutsideOfPackage("dev.superfactory.sched..")
      .and().doNotHaveFullyQualifiedName(FleetState.class.getName())
      .should().callMethod(FleetState.class, "allocate", PlacementPlan.class)
      .orShould().callMethod(FleetState.class, "release", Allocation.class)
      .orShould().callMethod(FleetState.class, "markDown", int.class, int.class)
      .orShould().callMethod(FleetState.class, "markUp", int.class, int.class)
      .orShould().callMethod(FleetState.class, "reacquire", Allocation.class)
      .because("the scheduler kernel owns all scheduling state (issue 9): others send it commands");
}
