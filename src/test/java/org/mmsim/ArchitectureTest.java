package org.mmsim;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

/** The layout shows the architecture: a pure-Java core, adapters around it that do not know each other. */
class ArchitectureTest {

    private static final JavaClasses MAIN = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("org.mmsim");

    @Test
    void coreDependsOnlyOnJavaAndItself() {
        noClasses().that().resideInAPackage("org.mmsim.kernel..")
                .should().dependOnClassesThat().resideOutsideOfPackages("java..", "org.mmsim.kernel..")
                .because("the simulation core is plain Java: no Spring, JPA, Jackson or Lombok")
                .check(MAIN);
    }

    @Test
    void apiAndStoreDoNotKnowEachOther() {
        noClasses().that().resideInAPackage("org.mmsim.api..")
                .should().dependOnClassesThat().resideInAPackage("org.mmsim.store..")
                .check(MAIN);
        noClasses().that().resideInAPackage("org.mmsim.store..")
                .should().dependOnClassesThat().resideInAPackage("org.mmsim.api..")
                .check(MAIN);
    }

    @Test
    void coreReadsNoClockAndNoUnseededRandomness() {
        noClasses().that().resideInAPackage("org.mmsim.kernel..")
                .should().callMethod(System.class, "currentTimeMillis")
                .orShould().callMethod(System.class, "nanoTime")
                .orShould().dependOnClassesThat().haveFullyQualifiedName("java.time.Clock")
                .orShould().dependOnClassesThat().haveFullyQualifiedName("java.time.Instant")
                .orShould().dependOnClassesThat().haveFullyQualifiedName("java.util.concurrent.ThreadLocalRandom")
                .orShould().callConstructor(java.util.Random.class)
                .because("the same config, seed and operations must give the same state, byte for byte")
                .check(MAIN);
    }
}
