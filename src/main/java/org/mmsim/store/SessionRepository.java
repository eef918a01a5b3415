package org.mmsim.store;

import jakarta.persistence.LockModeType;
import java.util.Optional;
import org.springframework.data.domain.Page;
import org.springframework.data.domain.Pageable;
import org.springframework.data.jpa.repository.JpaRepository;
import org.springframework.data.jpa.repository.Lock;
import org.springframework.data.jpa.repository.Query;
import org.springframework.data.repository.query.Param;

/** Sessions by id and by the client that created them. */
public interface SessionRepository extends JpaRepository<SessionEntity, String> {

    /**
     * The session row, locked ({@code SELECT … FOR UPDATE}) until the transaction ends: every
     * mutation of a session, on any server process, goes through this lock.
     */
    @Lock(LockModeType.PESSIMISTIC_WRITE)
    @Query("select s from SessionEntity s where s.id = :id")
    Optional<SessionEntity> findForUpdate(@Param("id") String id);

    Page<SessionEntity> findByClient(String client, Pageable pageable);

    @Query("select s.version from SessionEntity s where s.id = :id")
    Optional<Long> findVersion(@Param("id") String id);
}
