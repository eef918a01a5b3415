package org.mmsim.store;

import java.util.List;
import java.util.Optional;
import org.springframework.data.jpa.repository.JpaRepository;
import org.springframework.data.jpa.repository.Query;
import org.springframework.data.repository.query.Param;

/** Snapshots: the nearest one at or before a version is where a rebuild starts. */
public interface SnapshotRepository extends JpaRepository<SnapshotEntity, SnapshotEntity.Key> {

    Optional<SnapshotEntity> findFirstBySessionIdAndVersionLessThanEqualOrderByVersionDesc(String sessionId,
            long version);

    @Query("select s.version from SnapshotEntity s where s.sessionId = :sid order by s.version asc")
    List<Long> findVersions(@Param("sid") String sessionId);

    boolean existsBySessionIdAndVersion(String sessionId, long version);
}
