/* SPDX-License-Identifier: GPL-2.0 */
/* Model-checker shim: the caller's return address, as in the kernel. */
#ifndef _MC_LINUX_INSTRUCTION_POINTER_H
#define _MC_LINUX_INSTRUCTION_POINTER_H

#define _RET_IP_	((unsigned long)__builtin_return_address(0))

#endif /* _MC_LINUX_INSTRUCTION_POINTER_H */
