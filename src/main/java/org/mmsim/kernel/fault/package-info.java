/**
 * Page-fault handling: the MMU's access check on a walked PTE, {@code do_user_addr_fault()}
 * (arch/x86/mm/fault.c: VMA lookup, stack expansion, {@code access_error}) and
 * {@code handle_mm_fault()} with {@code do_anonymous_page}, {@code do_read_fault},
 * {@code do_cow_fault}, {@code do_shared_fault} and {@code do_wp_page} (mm/memory.c), plus the
 * range {@link org.mmsim.kernel.fault.Touch} a client asks for.
 */
package org.mmsim.kernel.fault;
