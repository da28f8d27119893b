"""ACPI tables, the APICs, the TSC clock and one-shot timers (kernel/acpi/acpi.c,
pic.c, lapic.c, ioapic.c, clock.c, timer.c), checked from the serial log.

Every boot runs the self tests timer (timers fire in deadline order, never
early, woken by the LAPIC timer; the clock agrees with its calibration
reference over 10 ms), clock (monotonic reads, delays), acpi (MADT sanity,
all checksums good) and acpiparse (a literal MADT, then the same with a bad
checksum), and checks the summary lines the kernel prints:
  acpi:  what the MADT, MCFG, FADT and HPET tables gave
  clock: the TSC frequency and the reference it was calibrated against
  timer: the LAPIC timer mode and why
QEMU machine options take references away one at a time: hpet=off leaves the
ACPI PM timer, acpi=off leaves only the PIT (and no IOAPIC routing).

QEMU's TCG APIC has no TSC-deadline mode: under TCG every CPU model (even
-cpu max, or max,+tsc-deadline, which QEMU drops with a warning) lacks
CPUID.01H:ECX[24] and must get the one-shot LAPIC timer. Under KVM
(KEEL_ACCEL=kvm) -cpu max has it and must get TSC-deadline mode.
"""
import re

import pytest

from qemu_boot import accel, boot

SELFTESTS = ("timer", "clock", "acpi", "acpiparse")
BOOT_TIMEOUT = 30
MAX_CALIBRATION_MS = 10      # clock_init's own report; boot must stay short
MAX_DRIFT_PPM = 20000        # 2%, as the kernel's own check
MAX_LATENESS_US = 10000

ACPI_LINE = re.compile(
    r"acpi: rev (?P<revision>\d+) OEM (?P<oem>\S+), (?P<cpus>\d+) CPUs?, (?P<ioapics>\d+) IOAPICs?, "
    r"(?P<overrides>\d+) overrides?, (?:no MCFG|MCFG (?P<mcfg>\d+) segments?), "
    r"(?:no PM timer|PM timer (?P<pm_timer>0x[0-9a-f]+) \((?P<pm_bits>24|32)-bit\)), "
    r"(?:no HPET|HPET (?P<hpet>0x[0-9a-f]+))(?P<bad>, \d+ bad tables?)?$")
CLOCK_LINE = re.compile(
    r"clock: TSC (?P<mhz>\d+)\.\d{3} MHz calibrated against (?P<source>\S+) in (?P<ms>\d+\.\d) ms")
TIMER_LINE = re.compile(r"timer: (?P<mode>tsc-deadline|lapic-oneshot) mode \(CPU (?P<cpu>has|lacks) TSC-deadline\)")
TIMER_ORDER_LINE = re.compile(r"selftest: timer: \d+ timers in deadline order, max lateness (?P<us>\d+) us")
DRIFT_LINE = re.compile(r"selftest: timer: clock vs (?P<source>\S+) over \d+ us: (?P<ppm>[+-]\d+) ppm")


def run(machine="pc", cpu=None, cmdline=""):
    extra_args = ["-cpu", cpu] if cpu else []
    result = boot(machine=machine, cmdline=f"keel.selftest={','.join(SELFTESTS)} {cmdline}".strip(),
                  extra_args=extra_args, until="selftest: done:", timeout=BOOT_TIMEOUT)
    assert not result.timed_out, f"self tests did not finish:\n{result.log}"
    return result


def match_line(result, pattern, prefix):
    match = pattern.search(result.line_with(prefix))
    assert match, f"unexpected format: {result.line_with(prefix)!r}"
    return match


def assert_selftests_passed(result):
    for name in SELFTESTS:
        result.line_with(f"selftest: {name}: PASS")
    result.line_with(f"selftest: done: {len(SELFTESTS)} passed, 0 failed")
    assert "panic" not in result.log.lower()
    assert "lapic: error interrupt" not in result.log


def calibration_ms(result):
    return float(match_line(result, CLOCK_LINE, "clock: TSC")["ms"])


def assert_clock(result, source, boot_again):
    """boot_again() boots the same guest once more: the calibration's time
    is judged on the best of up to three boots, since a busy host that
    deschedules the vCPU stretches one boot's windows, while a slow
    calibration is slow every time."""
    clock = match_line(result, CLOCK_LINE, "clock: TSC")
    assert clock["source"] == source
    assert int(clock["mhz"]) >= 100, "implausible TSC frequency"
    times = [calibration_ms(result)]
    while min(times) >= MAX_CALIBRATION_MS and len(times) < 3:
        times.append(calibration_ms(boot_again()))
    assert min(times) < MAX_CALIBRATION_MS, f"calibration too long in every boot: {times} ms"
    drift = match_line(result, DRIFT_LINE, "selftest: timer: clock vs")
    assert drift["source"] == source
    assert abs(int(drift["ppm"])) < MAX_DRIFT_PPM
    assert int(match_line(result, TIMER_ORDER_LINE, "timers in deadline order")["us"]) <= MAX_LATENESS_US
    assert f"TSC via {source};" in result.line_with("keel: init done in")


def cpu_has_tsc_deadline(cpu):
    """TCG's APIC never offers TSC-deadline; KVM's does on -cpu max/host."""
    return accel() == "kvm" and cpu is not None and cpu.split(",")[0] in ("max", "host")


@pytest.mark.parametrize("cpu", [None, "max"], ids=["qemu64", "max"])
@pytest.mark.parametrize("machine", ["pc", "q35"])
def test_tables_clock_and_timers(machine, cpu):
    result = run(machine=machine, cpu=cpu)
    assert_selftests_passed(result)
    acpi = match_line(result, ACPI_LINE, "acpi: rev")
    assert acpi["oem"] == "BOCHS"
    assert (int(acpi["cpus"]), int(acpi["ioapics"])) == (1, 1)
    assert int(acpi["overrides"]) >= 1, "QEMU's MADT overrides ISA IRQ 0 -> GSI 2"
    assert acpi["pm_timer"] is not None and acpi["hpet"] == "0xfed00000"
    assert acpi["bad"] is None
    if machine == "q35":
        assert acpi["mcfg"] == "1", "q35 has PCI Express ECAM"
    else:
        assert acpi["mcfg"] is None and "no MCFG" in result.log
    result.line_with("lapic: id 0, version")
    result.line_with("ioapic: id 0 at 0xfec00000, version 0x20, GSI 0-23, all masked")
    assert_clock(result, "hpet", lambda: run(machine=machine, cpu=cpu))
    timer = match_line(result, TIMER_LINE, "timer: ")
    expected = "tsc-deadline" if cpu_has_tsc_deadline(cpu) else "lapic-oneshot"
    assert timer["mode"] == expected
    assert (timer["cpu"] == "has") == cpu_has_tsc_deadline(cpu)
    if expected == "lapic-oneshot":
        assert "LAPIC timer" in timer.string and "MHz (divide by 16" in timer.string


def test_pm_timer_reference_without_hpet_and_isa_overrides():
    """hpet=off: the FADT's PM timer is the reference. loglevel=8 shows
    every table mapped and the MADT overrides as ioapic_isa_irq_to_gsi()
    decodes them (QEMU: IRQ 0 -> GSI 2 edge; IRQ 9, the SCI, level high)."""
    result = run(machine="pc,hpet=off", cmdline="loglevel=8")
    assert_selftests_passed(result)
    acpi = match_line(result, ACPI_LINE, "acpi: rev")
    assert acpi["hpet"] is None and "no HPET" in result.log
    assert acpi["pm_bits"] in ("24", "32")
    for table in ("RSDT", "FACP", "APIC"):
        assert re.search(rf"acpi: {table} at 0x[0-9a-f]+, \d+ bytes", result.log), table
    result.line_with("ioapic: ISA IRQ 0 -> GSI 2, edge, active high")
    result.line_with("ioapic: ISA IRQ 9 -> GSI 9, level, active high")
    assert_clock(result, "acpi_pm", lambda: run(machine="pc,hpet=off", cmdline="loglevel=8"))


def test_pit_reference_without_acpi():
    """acpi=off: no RSDP anywhere. The kernel warns, keeps the LAPIC at the
    MSR's address, routes nothing through an IOAPIC, calibrates on the PIT."""
    result = run(machine="pc,acpi=off")
    assert_selftests_passed(result)
    result.line_with("acpi: no RSDP found")
    result.line_with("ioapic: none described by ACPI")
    result.line_with("selftest: acpi: no ACPI on this machine")
    result.line_with("lapic: id 0, version")
    assert_clock(result, "pit", lambda: run(machine="pc,acpi=off"))


def test_timer_mode_follows_cpuid():
    """Asking QEMU for tsc-deadline does not make the kernel assume it: the
    mode follows what CPUID reports (TCG drops the feature and says so)."""
    cpu = "max,+tsc-deadline"
    result = run(cpu=cpu)
    assert_selftests_passed(result)
    timer = match_line(result, TIMER_LINE, "timer: ")
    if cpu_has_tsc_deadline(cpu):
        assert timer["mode"] == "tsc-deadline" and timer["cpu"] == "has"
    else:
        result.line_with("TCG doesn't support requested feature: CPUID.01H:ECX.tsc-deadline")
        assert timer["mode"] == "lapic-oneshot" and timer["cpu"] == "lacks"
        result.line_with("lapic-oneshot interrupts")


def test_oneshot_can_be_forced():
    """lapic.timer=oneshot is a declared key and selects the count-down timer
    even where TSC-deadline exists."""
    result = run(cpu="max", cmdline="lapic.timer=oneshot")
    assert_selftests_passed(result)
    assert "unknown parameter 'lapic.timer'" not in result.log
    assert match_line(result, TIMER_LINE, "timer: ")["mode"] == "lapic-oneshot"
