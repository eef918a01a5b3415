package org.mmsim.store;

import java.util.List;
import org.springframework.data.domain.Page;
import org.springframework.data.domain.Pageable;
import org.springframework.data.jpa.repository.JpaRepository;
import org.springframework.data.jpa.repository.Query;
import org.springframework.data.repository.query.Param;

/** The operation journal of every session. */
public interface JournalRepository extends JpaRepository<JournalEntry, JournalEntry.Key> {

    Page<JournalEntry> findBySessionIdOrderByVersionAsc(String sessionId, Pageable pageable);

    @Query("select j from JournalEntry j where j.sessionId = :sid and j.version > :after and j.version <= :upTo"
            + " order by j.version asc")
    List<JournalEntry> findRange(@Param("sid") String sessionId, @Param("after") long after,
            @Param("upTo") long upTo);
}
