/* frontend/opcodes.c: the opcode table of each supported CPython version.
 *
 * Each table is expanded from frontend/opcodes/pyNNN.def, which
 * tools/gen_opcodes.py generates from that interpreter's own opcode and dis
 * modules.  Numbers absent from a version stay zeroed (name NULL).
 */
#include "fe.h"

#define FEOP(num, nm, ncache, jump, stable, sub, construct) \
  [num] = {#nm, ncache, FJ_##jump, FS_##stable, IR_##sub, construct},

static const FeOpInfo py310[256] = {
#include "opcodes/py310.def"
};
static const FeOpInfo py311[256] = {
#include "opcodes/py311.def"
};
static const FeOpInfo py312[256] = {
#include "opcodes/py312.def"
};
static const FeOpInfo py313[256] = {
#include "opcodes/py313.def"
};

#undef FEOP

const FeOpInfo *fe_optable(int pyversion)
{
  switch (pyversion) {
  case 310: return py310;
  case 311: return py311;
  case 312: return py312;
  case 313: return py313;
  default: return NULL;
  }
}
