

def test_halt_stops_with_exit_code(run_asm):
    m = run_asm("addiu $t0, $zero, 5; addiu $t1, $t0, 12")
    assert m.reg("t1") == 17
    assert m.stop_info().code == 0


def test_assembler_labels_and_branches(run_asm):
    m = run_asm("""
        li $t0, 10
        move $t1, $zero
    loop:
        addu $t1, $t1, $t0
        addiu $t0, $t0, -1
        bne $t0, $zero, loop
        nop
    """)
    assert m.reg("t1") == 55
